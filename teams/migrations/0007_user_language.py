from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0006_invitation_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en-gb", "English"), ("cy", "Cymraeg")],
                default="",
                max_length=10,
                verbose_name="language",
            ),
        ),
    ]
