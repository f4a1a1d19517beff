"""Compatibility: GetRandomPassword.

Length 1-4096 (default 32), every exclusion flag, ExcludeCharacters,
IncludeSpace, RequireEachIncludedType (default on), and the errors when the
constraints cannot be met.
"""

import string

import pytest

from harness import expect_client_error

PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
LOWER, UPPER, DIGITS = string.ascii_lowercase, string.ascii_uppercase, string.digits
DEFAULT_SET = set(LOWER + UPPER + DIGITS + PUNCT)


def pw(sm, **kw):
    r = sm.get_random_password(**kw)
    assert set(r) == {"RandomPassword", "ResponseMetadata"}
    return r["RandomPassword"]


def test_default_is_32_characters_of_the_default_set(sm):
    p = pw(sm)
    assert len(p) == 32
    assert set(p) <= DEFAULT_SET


def test_default_requires_each_type(sm):
    for _ in range(20):
        p = pw(sm, PasswordLength=4)
        assert set(p) & set(LOWER) and set(p) & set(UPPER)
        assert set(p) & set(DIGITS) and set(p) & set(PUNCT)


def test_the_32_punctuation_characters_are_all_used(sm):
    p = pw(sm, PasswordLength=4096, ExcludeLowercase=True, ExcludeUppercase=True,
           ExcludeNumbers=True)
    assert set(p) == set(PUNCT)


@pytest.mark.parametrize("length", [4, 33, 1024, 4096])
def test_requested_length(sm, length):
    assert len(pw(sm, PasswordLength=length)) == length


def test_length_1_without_required_types(sm):
    p = pw(sm, PasswordLength=1, RequireEachIncludedType=False)
    assert len(p) == 1 and p in DEFAULT_SET


@pytest.mark.parametrize("length", [0, 4097, -1])
def test_length_out_of_range_is_validation_error(server, length):
    sm = server.client(validate=False)
    expect_client_error(sm.get_random_password, "ValidationException",
                        PasswordLength=length)


def test_length_shorter_than_required_types_is_invalid_parameter(sm):
    expect_client_error(sm.get_random_password, "InvalidParameterException",
                        PasswordLength=3)


@pytest.mark.parametrize("flag,chars", [
    ("ExcludeLowercase", LOWER),
    ("ExcludeUppercase", UPPER),
    ("ExcludeNumbers", DIGITS),
    ("ExcludePunctuation", PUNCT),
])
def test_each_exclusion_flag(sm, flag, chars):
    p = pw(sm, PasswordLength=2048, **{flag: True})
    assert not set(p) & set(chars)
    assert set(p) == DEFAULT_SET - set(chars)


def test_exclusion_flags_together_leave_one_class(sm):
    p = pw(sm, PasswordLength=512, ExcludeLowercase=True, ExcludeUppercase=True,
           ExcludePunctuation=True)
    assert set(p) == set(DIGITS)


def test_exclude_characters(sm):
    excluded = "aeiouAEIOU01lI|`'\"\\"
    p = pw(sm, PasswordLength=4096, ExcludeCharacters=excluded)
    assert not set(p) & set(excluded)
    assert set(p) == DEFAULT_SET - set(excluded)


def test_exclude_characters_with_flags(sm):
    p = pw(sm, PasswordLength=1024, ExcludePunctuation=True, ExcludeCharacters="abcXYZ789")
    assert set(p) == set(LOWER + UPPER + DIGITS) - set("abcXYZ789")


def test_exclude_characters_emptying_a_class_without_require_each(sm):
    p = pw(sm, PasswordLength=256, ExcludeCharacters=DIGITS, RequireEachIncludedType=False)
    assert not set(p) & set(DIGITS)


def test_exclude_characters_emptying_a_required_class_is_invalid_parameter(sm):
    expect_client_error(sm.get_random_password, "InvalidParameterException",
                        ExcludeCharacters=PUNCT)


def test_include_space(sm):
    p = pw(sm, PasswordLength=4096, IncludeSpace=True)
    assert " " in p
    assert set(p) == DEFAULT_SET | {" "}


def test_no_space_by_default(sm):
    assert " " not in pw(sm, PasswordLength=4096)


def test_include_space_with_space_excluded_has_no_space(sm):
    p = pw(sm, PasswordLength=2048, IncludeSpace=True, ExcludeCharacters=" ")
    assert " " not in p


def test_require_each_included_type_false_allows_missing_types(sm):
    # with 4 characters drawn from 94, all four classes appear in only a
    # fraction of passwords; without the requirement some lack one
    lacking = 0
    for _ in range(40):
        p = pw(sm, PasswordLength=4, RequireEachIncludedType=False)
        if not (set(p) & set(LOWER) and set(p) & set(UPPER) and
                set(p) & set(DIGITS) and set(p) & set(PUNCT)):
            lacking += 1
    assert lacking > 0


def test_require_each_included_type_with_exclusions(sm):
    for _ in range(20):
        p = pw(sm, PasswordLength=2, ExcludeLowercase=True, ExcludePunctuation=True,
               RequireEachIncludedType=True)
        assert set(p) & set(UPPER) and set(p) & set(DIGITS)


def test_everything_excluded_is_invalid_parameter(sm):
    expect_client_error(sm.get_random_password, "InvalidParameterException",
                        ExcludeLowercase=True, ExcludeUppercase=True,
                        ExcludeNumbers=True, ExcludePunctuation=True)


def test_everything_excluded_by_characters_is_invalid_parameter(sm):
    expect_client_error(sm.get_random_password, "InvalidParameterException",
                        RequireEachIncludedType=False,
                        ExcludeCharacters=LOWER + UPPER + DIGITS + PUNCT)


def test_exclude_characters_longer_than_4096_is_validation_error(server):
    sm = server.client(validate=False)
    expect_client_error(sm.get_random_password, "ValidationException",
                        ExcludeCharacters="a" * 4097)


def test_passwords_differ(sm):
    got = {pw(sm) for _ in range(20)}
    assert len(got) == 20
