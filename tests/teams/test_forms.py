from __future__ import annotations

from django import forms

from teams.forms import GovukForm


class ContactForm(GovukForm, forms.Form):
    email = forms.EmailField(help_text="Your work address")


def test_a_fields_id_hint_and_error_are_named_after_its_form():
    form = ContactForm(data={"email": "not an address"})
    assert not form.is_valid()
    html = str(form["email"])
    assert 'id="contact_email"' in html
    assert 'aria-describedby="contact_email-hint contact_email-error"' in html
