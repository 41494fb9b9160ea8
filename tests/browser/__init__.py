"""Browser tests: journeys, layout and accessibility in headless Chromium."""
