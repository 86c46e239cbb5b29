"""Phone numbers and e-mail addresses: one form whatever way they were typed, and never
repeated in a message (they are personal data)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import tiny_data
from campplanner.contract.contact import (
    PHONE_EXAMPLE,
    normalise_email,
    normalise_phone,
    spoken_phone,
)
from campplanner.contract.errors import InstanceError
from campplanner.contract.instance import instance_from_data
from campplanner.io.template import instance_workbook
from campplanner.io.workbook_in import import_workbook

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# What people and programs put between digits: spaces, hyphens, dots, direction marks.
SEPARATORS = st.sampled_from(["", "", "", " ", "-", ".", "\u200e", "\u200f", "\u00a0", "\u200c"])
REFUSALS = {
    "the phone number is empty",
    f"only Iranian numbers (+98) are taken; write {PHONE_EXAMPLE}",
    f"a phone number holds digits only; write {PHONE_EXAMPLE}",
    f"a phone number has 10 digits after its 0 or +98, this one has N in all; "
    f"write {PHONE_EXAMPLE}",
}
NATIONAL = st.from_regex(r"\A[1-9][0-9]{9}\Z")  # the ten digits after the 0


@st.composite
def typed(draw: st.DrawFn, national: str) -> str:
    """``national`` (ten digits) as a planner might type it."""
    prefix = draw(st.sampled_from(["0", "+98", "0098", "98", "", "+98 ", "(0", "0098-"]))
    body = "".join(digit + draw(SEPARATORS) for digit in national).strip()
    text = prefix + body
    if prefix == "(0":
        text = "(0" + national[:3] + ") " + national[3:]
    digits = draw(st.sampled_from([None, PERSIAN, ARABIC]))
    return text.translate(digits) if digits else text


@given(st.data(), NATIONAL)
def test_every_way_of_typing_a_number_gives_one_form(data: st.DataObject, national: str) -> None:
    text = data.draw(typed(national))
    assert normalise_phone(text) == "0" + national


@given(st.text(max_size=30))
def test_a_normalised_number_is_0_and_ten_digits_and_stays_so(text: str) -> None:
    try:
        phone = normalise_phone(text)
    except ValueError as error:  # one of a few fixed messages: it never repeats the text
        message = re.sub(r"this one has \d+ in all", "this one has N in all", str(error))
        assert message in REFUSALS, message
        return
    assert re.fullmatch(r"0[1-9][0-9]{9}", phone)
    assert normalise_phone(phone) == phone
    assert normalise_phone(spoken_phone(phone)) == phone


@pytest.mark.parametrize(
    "text",
    ["", "0912345678", "091234567890", "+44 20 7946 0958", "0912-abc-4567", "00912345678"],
)
def test_what_is_no_iranian_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        normalise_phone(text)


def test_landlines_and_spoken_forms() -> None:
    assert normalise_phone("086 3222 0000") == "08632220000"
    assert spoken_phone("09123456789") == "0912 345 6789"
    assert spoken_phone("08632220000") == "086 3222 0000"


def test_email() -> None:
    assert normalise_email("  Ali.Rezaei@Example.COM ") == "Ali.Rezaei@example.com"
    for bad in ("ali", "ali@", "@x.ir", "a b@x.ir", "a@b@c.ir", "a@x"):
        with pytest.raises(ValueError):
            normalise_email(bad)


def test_the_instance_file_keeps_one_form_and_never_quotes_a_bad_number() -> None:
    data = tiny_data()
    data["volunteers"][0]["phone"] = "+98 (912) 345-6789"
    data["volunteers"][1]["phone"] = "۰۹۱۲۳۴۵۶۷۸"  # one digit short
    data["volunteers"][2]["email"] = "not an address"
    with pytest.raises(InstanceError) as caught:
        instance_from_data(data, "season.json")
    messages = [str(issue) for issue in caught.value.issues]
    assert len(messages) == 2
    assert messages[0].startswith("volunteers[1].phone: ")
    assert messages[1].startswith("volunteers[2].email: ")
    assert "912345678" not in " ".join(messages) and "not an address" not in " ".join(messages)
    del data["volunteers"][1]["phone"], data["volunteers"][2]["email"]
    instance = instance_from_data(data, "season.json")
    assert instance.volunteers[0].phone == "09123456789"


@pytest.mark.parametrize("header", ["تلفن", "تلفن همراه", "Phone", "mobile", "شماره تماس"])
def test_phones_are_imported_under_persian_or_english_headers(tmp_path: Path, header: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(instance_workbook(tiny_data())))
    sheet = book["داوطلبان"]
    column = [cell.value for cell in sheet[1]].index("تلفن\n(phone)") + 1
    sheet.cell(1, column, header)  # the template's header, as a planner might write it
    sheet.cell(2, column, "۰۹۱۲ ۳۴۵ ۶۷۸۹")
    sheet.cell(3, column, 9123456780)  # a number cell: the program dropped the 0
    sheet.cell(4, column, "+98 912 345")  # too short: an error for this row alone
    path = tmp_path / "season.xlsx"
    book.save(path)
    with pytest.raises(InstanceError) as caught:
        import_workbook(path)
    (message,) = [str(issue) for issue in caught.value.issues]
    assert message.startswith("sheet 'داوطلبان', row 4, column ")
    assert "10 digits after its 0 or +98" in message and "912 345" not in message
    sheet.cell(4, column).value = None
    book.save(path)
    data = import_workbook(path).data
    phones = [v.get("phone") for v in data["volunteers"]]
    assert phones[:3] == ["09123456789", "09123456780", None]


def test_the_template_has_phone_and_email_columns() -> None:
    book = openpyxl.load_workbook(io.BytesIO(instance_workbook(tiny_data())))
    headers = [cell.value for cell in book["داوطلبان"][1]]
    assert "تلفن\n(phone)" in headers and "ایمیل\n(email)" in headers
