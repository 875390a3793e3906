"""The message catalogue: every key has both languages; the language switch works."""
import pytest

from titlesim import i18n


def test_every_message_has_both_languages_and_the_same_placeholders():
    import string
    for key, row in i18n.catalogue().items():
        # a help text's English may be left empty: the code's own text is the English
        assert row["zh"].strip() and (row["en"].strip() or key.startswith("help.")), key
        fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}
        assert fields(row["zh"]) == fields(row["en"]) or not row["en"], key


def test_language_from_setting_then_environment_then_chinese(monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n.set_language(None)
    assert i18n.current_language() == "zh"
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    assert i18n.current_language() == "en"
    i18n.set_language("zh")
    assert i18n.current_language() == "zh"
    i18n.set_language(None)
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_unknown_message_key_is_a_programming_error():
    with pytest.raises(KeyError):
        i18n.msg("no_such_message")


def test_a_language_for_a_block_puts_back_exactly_what_was_chosen(monkeypatch):
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    i18n.set_language(None)  # nothing chosen: the environment's English
    with i18n.language("zh"):
        assert i18n.current_language() == "zh"
    assert i18n.chosen_language() == "en" and i18n._chosen is None  # not pinned to "en"
    monkeypatch.setenv(i18n.ENV_VAR, "zh")
    assert i18n.current_language() == "zh"  # the environment decides again
    i18n.set_language("en")
    with pytest.raises(RuntimeError), i18n.language(None):
        assert i18n.current_language() == "zh"
        raise RuntimeError
    assert i18n.chosen_language() == "en"
    i18n.set_language(None)
