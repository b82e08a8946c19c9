//! A room migration script: stream every room matching a query and update its metadata, with a
//! bounded number of requests in flight, then report what happened.
//!
//! The migration moves rooms whose ID starts with a prefix (first argument, default
//! `migration-demo:`) from `metadata.schema = "1"` to `"2"`. With `--seed N` it first creates N
//! such rooms, so that it has something to do on an empty project or dev server.
//!
//! ```sh
//! LIVEBLOCKS_SECRET_KEY=sk_localdev LIVEBLOCKS_BASE_URL=http://127.0.0.1:1153 \
//!   cargo run --example room_migration -- migration-demo: --seed 25
//! ```
//!
//! Each room is checked again before it is written: the listing and the update are separate
//! requests, so a room may have changed in between (and a server that ignores the query, like
//! the local dev server, returns rooms that do not match).

use std::collections::BTreeMap;

use futures::TryStreamExt;
use liveblocks::Client;
use liveblocks::query::RoomQuery;
use liveblocks::types::{Permission, Room, RoomMetadata, RoomMetadataValue};

/// At most this many updates are in flight at once.
const CONCURRENCY: usize = 8;
const FROM: &str = "1";
const TO: &str = "2";

/// What happened to one room.
enum Outcome {
    Migrated,
    Skipped,
    Failed,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut prefix = "migration-demo:".to_string();
    let mut seed = 0usize;
    while let Some(arg) = args.next() {
        if arg == "--seed" {
            seed = args.next().ok_or("--seed needs a number")?.parse()?;
        } else {
            prefix = arg;
        }
    }
    let client = Client::from_env()?;

    for i in 0..seed {
        let mut metadata = BTreeMap::new();
        metadata.insert(
            "schema".to_string(),
            RoomMetadataValue::String(FROM.to_string()),
        );
        client
            .create_room()
            .idempotent(true) // re-running the seed returns the existing rooms
            .body_map(|body| {
                body.id(format!("{prefix}{i:03}"))
                    .default_accesses(vec![Permission::RoomRead])
                    .metadata(RoomMetadata(metadata))
            })
            .send()
            .await?;
    }
    if seed > 0 {
        println!("Seeded {seed} rooms with schema {FROM}");
    }

    let query = RoomQuery::new()
        .room_id_prefix(&prefix)
        .metadata("schema", FROM);
    println!("Migrating rooms matching {query} to schema {TO}, {CONCURRENCY} at a time");

    // The stream fetches the next page while the current one is being migrated; a listing
    // error ends the migration (`try_next` below), a failed update is counted and reported.
    let outcomes = client
        .get_rooms()
        .query(query)
        .stream()
        .map_ok(|room| migrate(&client, &prefix, room))
        .try_buffer_unordered(CONCURRENCY);
    futures::pin_mut!(outcomes);
    let (mut seen, mut migrated, mut skipped, mut failed) = (0, 0, 0, 0);
    while let Some(outcome) = outcomes.try_next().await? {
        seen += 1;
        match outcome {
            Outcome::Migrated => migrated += 1,
            Outcome::Skipped => skipped += 1,
            Outcome::Failed => failed += 1,
        }
    }
    println!("Listed {seen} rooms: migrated {migrated}, skipped {skipped}, failed {failed}");
    if failed > 0 {
        return Err(format!("{failed} rooms could not be migrated").into());
    }
    Ok(())
}

/// Migrates one room; never fails, so that one bad room does not stop the others.
async fn migrate(client: &Client, prefix: &str, room: Room) -> Result<Outcome, liveblocks::Error> {
    let schema = room.metadata.get("schema");
    if !room.id.starts_with(prefix) || schema != Some(&RoomMetadataValue::String(FROM.to_string()))
    {
        return Ok(Outcome::Skipped);
    }
    // Only the `schema` key changes; every other key is kept.
    let result = client
        .update_room()
        .room_id(&room.id)
        .body_map(|body| body.metadata([("schema", TO)]))
        .send()
        .await;
    Ok(match result {
        Ok(_) => Outcome::Migrated,
        Err(e) => {
            eprintln!("{}: {e}", room.id);
            Outcome::Failed
        }
    })
}
