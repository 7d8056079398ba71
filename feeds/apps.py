from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "feeds"
    verbose_name = "Feeds and discovery"

    def ready(self) -> None:
        from feeds import extensions

        # The feeds' autodiscovery links in the head of threads' pages.
        extensions.register()
