"""The normalised DuckDB schema that every published database has.

Keys are StatLine's own keys with the padding stripped. Observations are long:
one row per (table, region, period, other categories, measure). A suppressed
cell ("." on StatLine, null in the TypedDataSet) has value NULL and
suppressed = TRUE; it is never 0.
"""

SCHEMA_VERSION = "4"  # 2: population; 3: category_groups, load_notes, breakdown_checks; 4: structure_notes, segment

# Extra (non-region, non-period) dimensions of a table go into these columns,
# in StatLine order; `dimensions.slot` says which column holds which dimension.
CATEGORY_SLOTS = ("cat1", "cat2", "cat3")

SCHEMA_SQL = """
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
-- one row per StatLine table, from TableInfos
CREATE TABLE stat_tables (
    table_id VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    short_title VARCHAR,
    summary VARCHAR,
    short_description VARCHAR,
    description VARCHAR,
    modified VARCHAR,            -- TableInfos.Modified, ISO 8601 as StatLine sends it
    frequency VARCHAR,
    n_rows INTEGER NOT NULL,     -- rows of the TypedDataSet
    period_first VARCHAR,
    period_last VARCHAR
);
-- Topics from DataProperties; group_title is the path of TopicGroups above it
CREATE TABLE measures (
    table_id VARCHAR,
    key VARCHAR,
    title VARCHAR NOT NULL,
    description VARCHAR,
    unit VARCHAR,
    decimals INTEGER,
    datatype VARCHAR,
    group_title VARCHAR,
    position INTEGER,
    PRIMARY KEY (table_id, key)
);
-- Dimensions from DataProperties, RegioS and Perioden included
CREATE TABLE dimensions (
    table_id VARCHAR,
    key VARCHAR,
    title VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,       -- Dimension | GeoDimension | TimeDimension
    slot VARCHAR,                -- cat1..cat3 for other dimensions, NULL for RegioS/Perioden
    position INTEGER,
    PRIMARY KEY (table_id, key)
);
-- Categories of every dimension (RegioS and Perioden included)
CREATE TABLE categories (
    table_id VARCHAR,
    dimension VARCHAR,
    key VARCHAR,
    title VARCHAR NOT NULL,
    description VARCHAR,
    group_title VARCHAR,         -- path of CategoryGroups, ' › ' separated
    status VARCHAR,              -- Perioden only: Definitief | Voorlopig
    position INTEGER,
    PRIMARY KEY (table_id, dimension, key)
);
-- CategoryGroups of the category dimensions (their descriptions may say
-- "meerdere antwoorden mogelijk"); path as in categories.group_title
CREATE TABLE category_groups (
    table_id VARCHAR,
    dimension VARCHAR,
    id VARCHAR,
    title VARCHAR,
    description VARCHAR,
    path VARCHAR
);
-- What Nederland's figures say of a breakdown (vtdata.storage.breakdown_check), one row per member
-- category: `reason` why its parts allow more answers, or `segment`: the breakdowns of the
-- total that the figures cut a flat list into (runs that each add up to the total)
CREATE TABLE breakdown_checks (
    table_id VARCHAR,
    dimension VARCHAR,
    key VARCHAR,
    parent VARCHAR,
    reason VARCHAR,
    segment INTEGER
);
-- What a load left out of a table and why (unknown region codes, extra dimensions)
CREATE TABLE load_notes (
    table_id VARCHAR,
    note VARCHAR
);
-- What the checks before publishing reported without refusing (vtdata.storage.validate):
-- one line per table, e.g. national parts that add up to more than their total
CREATE TABLE structure_notes (
    table_id VARCHAR,
    note VARCHAR
);
CREATE TABLE observations (
    table_id VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    cat1 VARCHAR NOT NULL,       -- '' when the table has no such dimension
    cat2 VARCHAR NOT NULL,
    cat3 VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    value DOUBLE,
    suppressed BOOLEAN NOT NULL
);
-- All regions and periods over all tables
CREATE TABLE regions (
    code VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,      -- StatLine title, e.g. 'Gelderland-Midden (VT)'
    name VARCHAR NOT NULL,       -- title without the level suffix
    level VARCHAR NOT NULL       -- NL | LD | PV | VT | GM
);
CREATE TABLE periods (
    code VARCHAR PRIMARY KEY,
    title VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    kind VARCHAR NOT NULL,       -- HJ | JJ
    status VARCHAR               -- Voorlopig when any table marks it so
);
-- Geometry and membership (vtdata.storage.geo), per boundary year
CREATE TABLE geo_shapes (
    level VARCHAR NOT NULL,      -- GM | VT
    year INTEGER NOT NULL,
    code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    geometry VARCHAR NOT NULL,   -- GeoJSON geometry, WGS84
    PRIMARY KEY (level, year, code)
);
CREATE TABLE gemeente_vt (
    year INTEGER NOT NULL,
    gemeente VARCHAR NOT NULL,
    vt_region VARCHAR NOT NULL,
    PRIMARY KEY (year, gemeente)
);
-- Population on 1 January of `year` (CBS 03759ned), for rates per 1.000 inwoners;
-- VT-regio rows are the sums of that year's member gemeenten (vtdata.storage.population).
-- Empty when the population could not be refreshed: meta population_missing_reason says why.
CREATE TABLE population (
    region VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    inwoners DOUBLE,             -- all ages
    minderjarigen DOUBLE,        -- ages 0 to 17
    PRIMARY KEY (region, year)
);
"""

# No secondary index: DuckDB answered every observations query with a filtered
# sequential scan (EXPLAIN), and the unused obs_lookup index doubled each version's size.
