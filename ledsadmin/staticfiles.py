"""collectstatic without what no page uses (issue 17): USWDS's 2,100 material-icons SVGs, its Sass sources.

The precompiled uswds.min.css references fonts, img/usa-icons* and a few single images, never material-icons;
leaving them out cuts the collected files by two thirds and collectstatic's time with them. (A finder, not an
AppConfig: pytest-django's live server looks for the string "django.contrib.staticfiles" in INSTALLED_APPS.)
"""

from django.contrib.staticfiles.finders import FileSystemFinder

UNUSED = ["material-icons", "material-icons-deprecated", "scss", "theme", "components"]


class LedsFileSystemFinder(FileSystemFinder):
    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *UNUSED])
