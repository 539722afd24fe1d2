from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = "Background"

    def ready(self):
        from compliance.registry import Provider, register

        from .rules import evaluate_background
        from .selectors import load_fingerprints

        register(Provider(name="background", obligations=("fingerprints",), load=load_fingerprints,
                          evaluate=evaluate_background, order=10))
