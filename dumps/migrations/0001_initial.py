
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SourceRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('site', models.CharField(max_length=100)),
                ('kind', models.CharField(choices=[('user', 'User'), ('post', 'Question or answer'), ('tag', 'Tag (Tags.xml)'), ('tag_excerpt', 'Tag excerpt post (Tags.xml ExcerptPostId)'), ('tag_wiki', 'Tag wiki post (Tags.xml WikiPostId)'), ('tag_text', 'Tag excerpt or wiki imported from Posts.xml'), ('tag_text_kept', 'Tag excerpt or wiki post; the tag kept its local text'), ('comment', 'Comment'), ('revision', 'Revision (PostHistory RevisionGUID)'), ('tag_revision', 'Tag wiki revision (PostHistory RevisionGUID)'), ('event', 'Moderation event (PostHistory Id)'), ('link', 'Post link')], max_length=20)),
                ('source_id', models.CharField(max_length=64)),
                ('target_id', models.BigIntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['kind', 'target_id'], name='source_row_target')],
                'constraints': [models.UniqueConstraint(fields=('site', 'kind', 'source_id'), name='unique_source_row')],
            },
        ),
    ]
