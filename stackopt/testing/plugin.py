"""pytest plugin for stackopt (entry point ``pytest11``); fixtures are being added."""
