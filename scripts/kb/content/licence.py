"""The licence of the content and open data: the one place it is named.

The case studies, guides and open-data exports are published under Creative Commons Attribution
4.0 (LICENSE-content says what it covers and what it does not); the code is MIT (LICENSE). The
site's footer, the exports, the feed, the issue form and the contribute pages all read this.
"""

from __future__ import annotations

NAME = "CC BY 4.0"
TITLE = "Creative Commons Attribution 4.0 International"
URL = "https://creativecommons.org/licenses/by/4.0/"
SPDX = "CC-BY-4.0"

#: What every contributor agrees to before submitting, in the words the forms show.
CONTRIBUTOR_AGREEMENT = (
    f"I agree that what I write will be published under the {TITLE} licence ({NAME}), so anyone "
    "may share and adapt it if they credit the knowledge base, and I have the right to share it "
    "(for my own organisation's case study, my organisation agrees)."
)
