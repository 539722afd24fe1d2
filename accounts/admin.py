from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdmin

from . import security_log
from .models import AccountLock, Invitation, SecurityEvent, SecurityLogReview, User

# the admin signs in through allauth, so through MFA and the lockout too (R-SEC-1, R-SEC-3)
admin.site.login = secure_admin_login(admin.site.login)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_superuser", "is_system")
    list_filter = ("is_active", "is_superuser", "is_system", "must_change_password")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("LEDS Admin", {"fields": ("is_system", "must_change_password")}))

    def has_delete_permission(self, request, obj=None):
        return False  # sign-ins are deactivated, never deleted: the security log names them (R-SEC-5)

    def save_model(self, request, obj, form, change):
        if not (change and "is_active" in form.changed_data):
            return super().save_model(request, obj, form, change)
        # (de)activation goes through the same service as the Sign-ins page: logged (R-SEC-5), and a
        # reactivated sign-in must choose a new password
        from .services import set_sign_in_active

        active = obj.is_active
        obj.is_active = not active
        super().save_model(request, obj, form, change)
        set_sign_in_active(user=obj, actor=request.user, active=active, reason="Changed in the Django admin")
        obj.refresh_from_db()
        return None

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and isinstance(response, HttpResponseRedirect):
            # a password an administrator knows is changed by its owner at the next sign-in (issue 5)
            user = User.objects.get(pk=id)
            user.must_change_password = True
            user.save(update_fields=["must_change_password"])
            security_log.record(
                event=security_log.Kind.PASSWORD_SET_BY_ADMIN, request=request, subject=user,
                target=f"user:{user.get_username()}",
            )
        return response


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "occurred_at", "event", "outcome", "actor_username", "agency", "ip_address", "target")
    list_filter = ("event", "outcome", "agency")
    search_fields = ("actor_username", "target", "ip_address")
    date_hierarchy = "occurred_at"


@admin.register(SecurityLogReview)
class SecurityLogReviewAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("agency", "reviewed_at", "reviewed_by", "events_reviewed")
    list_filter = ("agency",)


@admin.register(AccountLock)
class AccountLockAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Read here; unlock from the Locked accounts page, which logs who unlocked (R-SEC-3)."""

    list_display = ("username", "agency", "locked_at", "failures", "unlocked_at", "unlocked_by")
    list_filter = ("agency",)
    search_fields = ("username",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("user", "agency", "email", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("agency",)
