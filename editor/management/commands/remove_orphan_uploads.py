from django.core.management.base import BaseCommand

from editor.services import remove_orphan_uploads


class Command(BaseCommand):
    help = (
        "Remove uploaded images that no post shows, older than QASITE['UPLOADS']"
        "['ORPHAN_HOURS'] (docs/rules.md, 'The editor and images in posts')."
    )

    def handle(self, *args, **options):
        removed = remove_orphan_uploads()
        self.stdout.write(f"Removed {removed} orphaned upload(s).")
