"""Password history (密码历史) for the 'do not reuse recent passwords' rule of 等级保护 level 3."""

from django.db import models


class PasswordHistory(models.Model):
    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)  # the hash, never the password
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"密码历史 {self.user_id}"
