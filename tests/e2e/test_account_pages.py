"""Account pages in a real browser: sign up, sign in, edit the profile; sales suspend someone."""
import os
import subprocess
import sys
import uuid

import pytest
from playwright.sync_api import expect

from tests.support.http import call
from tests.support.live import ROOT

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def sign_in_with_the_form(page, email, password=PASSWORD):
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_a_new_customer_signs_up_signs_in_and_edits_the_profile(page):
    email = f"lea-{uuid.uuid4().hex[:8]}@example.fr"
    page.goto("/signup")
    page.get_by_label("Client").check()
    page.get_by_label("Nom").fill("Léa")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_text("Votre compte est prêt. Connectez-vous pour commencer.")).to_be_visible()
    expect(page.get_by_label("Adresse e-mail")).to_have_value(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Mon profil")).to_be_visible()
    expect(page.locator("#nav-account")).to_have_text("Léa")
    page.get_by_label("Nom", exact=True).fill("Léa Dupont")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Ajouter une adresse").click()
    page.get_by_placeholder("Intitulé, par ex. Maison").fill("Maison")
    page.get_by_placeholder("Adresse").fill("1 rue de Rivoli, Paris")
    page.get_by_placeholder("Latitude").fill("48.8556")
    page.get_by_placeholder("Longitude").fill("2.3601")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_be_visible()
    expect(page.locator("#nav-account")).to_have_text("Léa Dupont")

    page.reload()
    expect(page.get_by_label("Nom", exact=True)).to_have_value("Léa Dupont")
    expect(page.get_by_placeholder("Adresse")).to_have_value("1 rue de Rivoli, Paris")


def test_a_sales_user_suspends_a_customer_whose_next_request_is_refused(page, browser, live_server, live_env):
    email = f"victor-{uuid.uuid4().hex[:8]}@example.fr"
    status, _ = call("POST", live_server + "/api/v1/auth/register",
                     {"email": email, "password": PASSWORD, "name": "Victor Client", "role": "customer"})
    assert status == 201
    sales_email = f"sales-{uuid.uuid4().hex[:8]}@cesi-eats.fr"
    created = subprocess.run(
        [sys.executable, "-m", "server", "create-staff", "--role", "sales", "--email", sales_email,
         "--password", PASSWORD, "--name", "Sam Sales"],
        cwd=ROOT, env={**os.environ, **live_env}, capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr

    sign_in_with_the_form(page, email)
    expect(page.get_by_role("heading", name="Mon profil")).to_be_visible()

    staff = browser.new_context(base_url=live_server, locale="fr-FR")
    staff.set_default_timeout(10_000)
    sales = staff.new_page()
    sign_in_with_the_form(sales, sales_email)
    expect(sales.get_by_role("heading", name="Comptes")).to_be_visible()
    sales.get_by_label("Nom ou adresse e-mail").fill(email)
    sales.get_by_role("button", name="Rechercher").click()
    sales.get_by_role("button", name="Victor Client").click()
    sales.get_by_label("Motif (montré à la personne)").fill("Fraude au paiement")
    sales.get_by_label("Pour une durée indéterminée").check()
    sales.get_by_role("button", name="Suspendre", exact=True).click()
    expect(sales.locator("#detail-status")).to_contain_text("Suspendu")
    staff.close()

    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Votre compte est suspendu pour une durée indéterminée. Motif : Fraude au paiement")
