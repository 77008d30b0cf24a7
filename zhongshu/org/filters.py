import django_filters
from django.db.models import Q

from zhongshu.core.classification import Clearance

from .models import Department, Organization, User
from .roles import Role


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/登录名", method="keyword")
    organization = django_filters.ModelChoiceFilter(label="机关", queryset=Organization.objects.all(), empty_label="全部")
    department = django_filters.ModelChoiceFilter(label="部门", field_name="memberships__department", queryset=Department.objects.all(), empty_label="全部")
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices, field_name="role_assignments__role", empty_label="全部")
    clearance = django_filters.ChoiceFilter(label="涉密类别", choices=Clearance.choices, empty_label="全部")

    class Meta:
        model = User
        fields = ["q", "organization", "department", "role", "clearance"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.organization_id:
            from zhongshu.access.permissions import has_perm

            if not (has_perm(user, "security.manage") or has_perm(user, "org.manage")):
                self.filters.pop("clearance")
            if not has_perm(user, "org.manage"):
                self.filters.pop("organization")
                self.filters["department"].queryset = Department.objects.filter(organization_id=user.organization_id)

    def keyword(self, qs, name, value):
        value = value.strip()[:50]
        return qs.filter(Q(real_name__icontains=value) | Q(username__icontains=value)) if value else qs

    @property
    def qs(self):
        return super().qs.distinct()
