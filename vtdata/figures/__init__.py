"""From cells to the figures a page shows: shares, rates, "geheim" and "bestond niet", significance, headline, ranking, change, prompts."""
