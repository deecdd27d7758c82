"""Every action of the app declared once (id, label, default key, description, handler and
where it applies), and each user's own keys for them.

``action`` holds the record, ``catalogue`` the declarations by room, ``registry`` the
look-ups the screens, menus, palette, help and Settings read, and ``keymap`` the rules for
remapping a key (reserved keys, conflicts in one place). Nothing here knows SQL or a
screen: the key map is read and written by ``data/store/ui_settings`` and applied by the
app through Textual's ``App.set_keymap``."""
