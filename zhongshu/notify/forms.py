from django import forms

from .models import WebhookEndpoint


class WebhookForm(forms.ModelForm):
    class Meta:
        model = WebhookEndpoint
        fields = ["organization", "name", "kind", "url", "secret", "levels", "is_active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}
