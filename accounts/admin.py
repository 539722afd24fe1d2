from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_superuser", "is_system")
    list_filter = ("is_active", "is_superuser", "is_system")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("LEDS Admin", {"fields": ("is_system",)}))
