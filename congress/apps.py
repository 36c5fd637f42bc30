from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congress")

    def ready(self):
        from congress import auth_cache
        from congress.search import install_sqlite_functions
        from congress.sqlite import install_unicode_like

        install_unicode_like()
        install_sqlite_functions()
        auth_cache.connect()
