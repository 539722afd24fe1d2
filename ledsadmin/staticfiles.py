"""collectstatic without what no page uses (issue 17): USWDS's 2,100 material-icons SVGs, its Sass sources.

The precompiled uswds.min.css references fonts, img/usa-icons* and a few single images, never material-icons;
leaving them out cuts the collected files by two thirds and collectstatic's time with them.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig


class LedsStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "material-icons", "material-icons-deprecated", "scss",
                       "theme", "components"]
