"""The title path of a StatLine group: its own title after those of its ancestors.

Topic groups (DataProperties) and category groups (CategoryGroups) nest by a
parent id; the loader stores each group's path, and `vtdata.storage.load_fit` reads the
same paths to find a dimension's total before anything is loaded.
"""

from __future__ import annotations

GROUP_SEPARATOR = " › "


def group_titles(rows: list[dict], id_field: str = "ID", parent_field: str = "ParentID") -> dict:
    """Map each group id to the titles of it and its ancestors, joined."""
    by_id = {row[id_field]: row for row in rows}

    def path(group_id):
        titles, seen = [], set()
        while group_id is not None and group_id in by_id and group_id not in seen:
            seen.add(group_id)
            title = by_id[group_id]["Title"]
            titles.append(title.strip() if isinstance(title, str) else title)
            group_id = by_id[group_id].get(parent_field)
        return GROUP_SEPARATOR.join(reversed(titles))

    return {group_id: path(group_id) for group_id in by_id}
