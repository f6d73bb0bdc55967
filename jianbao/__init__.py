"""jianbao (简报阅览): a desktop reader for 《产业技术创新战略联盟试点工作简报》.

The installed package maps the project's top-level folders under one name:

    jianbao.index      ← index/      headless core (no Qt): readers, classifier, store, search, export, CLI
    jianbao.desktop    ← desktop/    PySide6 app over the core
    jianbao.resources  ← resources/  sample bulletins, name tables, fonts, icons
    jianbao.launcher   ← jianbao/    the one entry point: the window, or the CLI when given a command

Only the launcher knows both the core and the GUI; the core never imports the GUI.
"""

__version__ = "0.2.0"
