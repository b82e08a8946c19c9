//! Decoding untrusted bytes, and the helpers' range checks.

use proptest::prelude::*;
use yrs::{ReadTxn as _, StateVector, Text as _, Transact as _};

use super::{YjsError, text};
use crate::Client;

fn handle(client: &Client) -> super::Yjs<'_> {
    client.yjs("room")
}

fn client() -> Client {
    Client::new("sk_test_0000000000000000000000000000").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Garbage never panics: it is refused with a typed error, or (rarely) is a valid update.
    #[test]
    fn garbage_is_an_error_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 1..64)) {
        let client = client();
        match handle(&client).decode(&bytes) {
            Ok(_) | Err(YjsError::Decode { .. }) | Err(YjsError::Apply { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    /// A valid update with its bytes flipped or cut never panics either.
    #[test]
    fn damaged_updates_do_not_panic(cut in 0usize..200, flip in 0usize..200, bit in 0u8..8) {
        let doc = yrs::Doc::new();
        let notes = doc.get_or_insert_text("notes");
        notes.insert(&mut doc.transact_mut(), 0, "hello wide world");
        let mut update = doc.transact().encode_state_as_update_v1(&StateVector::default());
        let at = flip % update.len();
        update[at] ^= 1 << bit;
        update.truncate(cut.min(update.len()).max(1));
        let client = client();
        let _ = handle(&client).decode(&update);
    }
}

#[test]
fn decode_error_names_the_room_and_guid() {
    let client = client();
    let err = client.yjs("r1").guid("sub").decode(&[0xff; 3]).unwrap_err();
    assert!(
        matches!(&err, YjsError::Decode { room_id, guid: Some(g), .. } if room_id == "r1" && g == "sub"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("the Yjs update of room \"r1\" (subdocument \"sub\") does not decode"),
        "{err}"
    );
}

#[test]
fn empty_body_is_an_empty_document() {
    let client = client();
    let doc = handle(&client).decode(&[]).unwrap();
    assert!(doc.transact().state_vector().is_empty());
    let doc = handle(&client).decode(&[0, 0]).unwrap();
    assert!(doc.transact().state_vector().is_empty());
}

#[test]
fn text_ranges_are_checked() {
    let doc = yrs::Doc::new();
    let mut txn = doc.transact_mut();
    text::insert(&mut txn, "t", 0, "héllo").unwrap();
    // Past the end.
    assert_eq!(
        text::insert(&mut txn, "t", 7, "x"),
        Err(YjsError::TextRange {
            start: 7,
            end: 7,
            len: 6
        })
    );
    // Inside the two bytes of 'é'.
    assert_eq!(
        text::insert(&mut txn, "t", 2, "x"),
        Err(YjsError::TextRange {
            start: 2,
            end: 2,
            len: 6
        })
    );
    assert_eq!(
        text::delete(&mut txn, "t", 4, u32::MAX),
        Err(YjsError::TextRange {
            start: 4,
            end: u32::MAX,
            len: 6
        })
    );
    text::delete(&mut txn, "t", 1, 2).unwrap();
    assert_eq!(text::read(&txn, "t"), "hllo");
}
