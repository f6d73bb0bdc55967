"""Data files shipped with jianbao: sample bulletins, the alliance table, fonts, icons, styles."""
