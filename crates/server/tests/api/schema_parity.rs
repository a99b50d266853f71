//! The SQLite and PostgreSQL migrations define the same schema: each is migrated into a fresh
//! database, and what each catalogue says (tables, columns, nullability, types, primary keys,
//! indexes, foreign keys) is compared after the small type mapping below.

use std::collections::BTreeMap;

use lantern_server::db::Db;
use lantern_server::test_support::TestDatabases;
use sqlx::{PgPool, SqlitePool};

/// A column as both catalogues can say it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    name: String,
    /// After [`sqlite_type`] / [`postgres_type`].
    kind: &'static str,
    not_null: bool,
}

/// An index or unique constraint, by what it covers: the names SQLite gives to a UNIQUE
/// column's index (`sqlite_autoindex_users_1`) and PostgreSQL's (`users_email_key`) differ.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    columns: Vec<String>,
    unique: bool,
    /// Has a WHERE clause (the predicates' texts are each catalogue's own rendering).
    partial: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    columns: Vec<String>,
    table: String,
    to: Vec<String>,
    on_delete: String,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    columns: Vec<Column>,
    primary_key: Vec<String>,
    indexes: Vec<Index>,
    foreign_keys: Vec<ForeignKey>,
}

type Schema = BTreeMap<String, Table>;

/// A foreign key as `pg_constraint` gives it.
#[derive(sqlx::FromRow)]
struct PgForeignKey {
    from_table: String,
    columns: Vec<String>,
    to_table: String,
    to_columns: Vec<String>,
    on_delete: String,
}

/// The type mapping of the two migrations: SQLite integers are BIGINT (i64) or, for 0/1 flags
/// the Rust side reads as `bool`, BOOLEAN; SQLite text is TEXT or, for COLLATE NOCASE columns,
/// citext (whose case-insensitivity is compared on the indexes, see [`Index`]'s `columns`).
fn sqlite_type(declared: &str) -> &'static str {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" => "integer",
        "TEXT" => "text",
        other => panic!("no PostgreSQL equivalent is known for the SQLite type {other:?}"),
    }
}

fn postgres_type(udt_name: &str) -> &'static str {
    match udt_name {
        "int8" | "bool" => "integer",
        "text" | "citext" => "text",
        other => panic!("no SQLite equivalent is known for the PostgreSQL type {other:?}"),
    }
}

/// A case-insensitive column of an index is written `name nocase` on both sides.
fn case_insensitive(column: String, nocase: bool) -> String {
    if nocase {
        format!("{column} nocase")
    } else {
        column
    }
}

fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table'
           AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for table in tables {
        // `table_xinfo`, not `table_info`: the latter leaves out generated columns.
        let rows: Vec<(String, String, bool, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_xinfo($1) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut primary_key: Vec<(i64, String)> = rows
            .iter()
            .filter(|(_, _, _, pk)| *pk > 0)
            .map(|(name, _, _, pk)| (*pk, name.clone()))
            .collect();
        primary_key.sort();
        let columns = rows
            .iter()
            .map(|(name, declared, not_null, pk)| Column {
                name: name.clone(),
                kind: sqlite_type(declared),
                // A primary key column is never NULL on PostgreSQL; SQLite would let one be
                // (a quirk it keeps for compatibility), which no Lantern query relies on.
                not_null: *not_null || *pk > 0,
            })
            .collect();

        let index_list: Vec<(String, bool, String, bool)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
        let mut indexes = Vec::new();
        let mut primary_key_index = Vec::new();
        for (name, unique, origin, partial) in index_list {
            let columns: Vec<(String, String)> = sqlx::query_as(
                "SELECT name, coll FROM pragma_index_xinfo($1) WHERE key = 1 ORDER BY seqno",
            )
            .bind(&name)
            .fetch_all(pool)
            .await
            .unwrap();
            let columns: Vec<String> = columns
                .into_iter()
                .map(|(column, collation)| case_insensitive(column, collation == "NOCASE"))
                .collect();
            if origin == "pk" {
                primary_key_index = columns;
            } else {
                indexes.push(Index {
                    columns,
                    unique,
                    partial,
                });
            }
        }
        let primary_key = if primary_key_index.is_empty() {
            primary_key.into_iter().map(|(_, name)| name).collect()
        } else {
            primary_key_index
        };

        let keys: Vec<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1)
             ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut foreign_keys: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for (id, to_table, from, to, on_delete) in keys {
            let key = foreign_keys.entry(id).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: to_table,
                to: Vec::new(),
                on_delete: on_delete.to_ascii_uppercase(),
            });
            key.columns.push(from);
            key.to.push(to);
        }
        schema.insert(
            table,
            Table {
                columns: sorted(columns),
                primary_key,
                indexes: sorted(indexes),
                foreign_keys: sorted(foreign_keys.into_values().collect()),
            },
        );
    }
    schema
}

async fn postgres_schema(pool: &PgPool) -> Schema {
    let columns: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.udt_name::text, c.is_nullable = 'NO'
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
           AND c.table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    let mut citext = Vec::new();
    for (table, name, udt_name, not_null) in columns {
        if udt_name == "citext" {
            citext.push((table.clone(), name.clone()));
        }
        schema.entry(table).or_default().columns.push(Column {
            name,
            kind: postgres_type(&udt_name),
            not_null,
        });
    }

    // Every index, unique constraints' and primary keys' included, with its key columns in order.
    let indexes: Vec<(String, Vec<String>, bool, bool, bool)> = sqlx::query_as(
        "SELECT t.relname::text,
                ARRAY(SELECT a.attname::text
                      FROM unnest(i.indkey) WITH ORDINALITY AS k (attnum, position)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                      ORDER BY k.position),
                i.indisunique, i.indisprimary, i.indpred IS NOT NULL
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, columns, unique, primary, partial) in indexes {
        let columns: Vec<String> = columns
            .into_iter()
            .map(|column| {
                let nocase = citext.contains(&(table.clone(), column.clone()));
                case_insensitive(column, nocase)
            })
            .collect();
        let entry = schema.entry(table).or_default();
        if primary {
            entry.primary_key = columns;
        } else {
            entry.indexes.push(Index {
                columns,
                unique,
                partial,
            });
        }
    }

    let keys: Vec<PgForeignKey> = sqlx::query_as(
        "SELECT t.relname::text AS from_table,
                ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k (attnum, position)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                      ORDER BY k.position) AS columns,
                r.relname::text AS to_table,
                ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k (attnum, position)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum
                      ORDER BY k.position) AS to_columns,
                CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
                     WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END AS on_delete
         FROM pg_constraint c
         JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_class r ON r.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE c.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for key in keys {
        schema
            .entry(key.from_table)
            .or_default()
            .foreign_keys
            .push(ForeignKey {
                columns: key.columns,
                table: key.to_table,
                to: key.to_columns,
                on_delete: key.on_delete,
            });
    }

    for table in schema.values_mut() {
        table.columns.sort();
        table.indexes.sort();
        table.foreign_keys.sort();
    }
    schema
}

/// Every difference between the two schemas, one line each, table by table.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut found = Vec::new();
    let names: std::collections::BTreeSet<&String> = sqlite.keys().chain(postgres.keys()).collect();
    for name in names {
        match (sqlite.get(name), postgres.get(name)) {
            (Some(_), None) => found.push(format!("{name}: a table on SQLite only")),
            (None, Some(_)) => found.push(format!("{name}: a table on PostgreSQL only")),
            (Some(s), Some(p)) => {
                let mut differ = |what: &str, s: String, p: String| {
                    if s != p {
                        found.push(format!(
                            "{name}: {what}\n  SQLite:     {s}\n  PostgreSQL: {p}"
                        ));
                    }
                };
                differ(
                    "columns",
                    format!("{:?}", s.columns),
                    format!("{:?}", p.columns),
                );
                differ(
                    "primary key",
                    format!("{:?}", s.primary_key),
                    format!("{:?}", p.primary_key),
                );
                differ(
                    "indexes",
                    format!("{:?}", s.indexes),
                    format!("{:?}", p.indexes),
                );
                differ(
                    "foreign keys",
                    format!("{:?}", s.foreign_keys),
                    format!("{:?}", p.foreign_keys),
                );
            }
            (None, None) => {}
        }
    }
    found
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_schema() {
    let dir = tempfile::tempdir().unwrap();
    let databases = TestDatabases::new(dir.path()).await.unwrap();
    let [Db::Sqlite(sqlite), Db::Postgres(postgres)] = databases.all.as_slice() else {
        // Without a cluster outside CI (test_support::postgres_url printed why).
        return;
    };
    let sqlite = sqlite_schema(sqlite).await;
    let postgres = postgres_schema(postgres).await;
    assert!(sqlite.len() > 20, "SQLite has only {} tables", sqlite.len());
    let found = differences(&sqlite, &postgres);
    assert!(
        found.is_empty(),
        "the migrations define different schemas:\n{}",
        found.join("\n")
    );
    databases.remove().await.unwrap();
}
