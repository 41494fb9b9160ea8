"""The Knowhow test suite; its folders mirror forum/."""
