"""The console's frame every capability's pages stand on: who is signed in (the
session, its CSRF token), rendering in the reader's language (templates, words,
catalogues), the menu, charts and the home page."""
