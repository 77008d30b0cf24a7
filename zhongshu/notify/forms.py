from django import forms

from .models import WebhookEndpoint


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label="地址", max_length=500, assume_scheme="https")
    class Meta:
        model = WebhookEndpoint
        fields = ["organization", "name", "kind", "url", "secret", "levels", "is_active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}
