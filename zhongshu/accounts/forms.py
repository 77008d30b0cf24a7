from django import forms


class LoginForm(forms.Form):
    username = forms.CharField(label="登录名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TotpForm(forms.Form):
    code = forms.CharField(label="动态口令", max_length=8, widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "one-time-code"}))


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput, help_text="至少 10 位，包含大写字母、小写字母、数字、符号中的三类，不能与最近 5 次相同")
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput)


class TokenForm(forms.Form):
    name = forms.CharField(label="设备名称", max_length=60, help_text="如“办公电脑”“统计脚本”；同一设备再次签发会替换原令牌")


class ActivationForm(forms.Form):
    username = forms.CharField(label="登录名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    code = forms.CharField(
        label="激活码", max_length=40, help_text="电子邮件中的激活码；密码信封按“第一联-第二联”的顺序输入",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), help_text="至少 10 位，包含大写字母、小写字母、数字、符号中的三类，不能与最近 5 次相同")
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class PreferenceForm(forms.Form):
    signature_pad = forms.TypedChoiceField(
        label="手写签批", choices=[("1", "开启：批示、签发时显示手写签批板"), ("0", "关闭：只填写文字意见")],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
        error_messages={"required": "请选择“开启”或“关闭”。", "invalid_choice": "请选择“开启”或“关闭”。"})
