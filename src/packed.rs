//! JSON data packed at build time (`build.rs`), read back through serde
//! without parsing text: the claim models, whose ~94 KB of decimal floats
//! took ~3 M instructions to parse at every start.
//!
//! A value is a tag byte and its content, lengths and counts as u32 LE:
//! 0 null, 1 false, 2 true, 3 u64, 4 i64, 5 f64 (8 bytes LE each), 6 string
//! (length, UTF-8), 7 array (count, values), 8 object (count, then key length,
//! key, value per field). Numbers are the u64 / i64 / f64 serde_json parsed,
//! handed to the visitor as serde_json hands them, so a type deserialised
//! from here is the one serde_json would give from the JSON, bit for bit.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

#[derive(Debug, thiserror::Error)]
#[error("packed data: {0}")]
pub struct Error(String);

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// `T` from packed bytes; all of them must be used.
pub fn from_bytes<'de, T: serde::Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, Error> {
    let mut reader = Reader { bytes, at: 0 };
    let value = T::deserialize(&mut reader)?;
    if reader.at != bytes.len() {
        return Err(Error("trailing bytes".into()));
    }
    Ok(value)
}

struct Reader<'de> {
    bytes: &'de [u8],
    at: usize,
}

impl<'de> Reader<'de> {
    fn take(&mut self, n: usize) -> Result<&'de [u8], Error> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| Error("truncated".into()))?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn tag(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }

    fn eight(&mut self) -> Result<[u8; 8], Error> {
        let b = self.take(8)?;
        Ok([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
    }

    fn len(&mut self) -> Result<usize, Error> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn str(&mut self) -> Result<&'de str, Error> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(|e| Error(e.to_string()))
    }
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.tag()? {
            0 => visitor.visit_unit(),
            1 => visitor.visit_bool(false),
            2 => visitor.visit_bool(true),
            3 => visitor.visit_u64(u64::from_le_bytes(self.eight()?)),
            4 => visitor.visit_i64(i64::from_le_bytes(self.eight()?)),
            5 => visitor.visit_f64(f64::from_bits(u64::from_le_bytes(self.eight()?))),
            6 => visitor.visit_borrowed_str(self.str()?),
            7 => {
                let left = self.len()?;
                visitor.visit_seq(Items { reader: self, left })
            }
            8 => {
                let left = self.len()?;
                visitor.visit_map(Items { reader: self, left })
            }
            t => Err(Error(format!("unknown tag {t}"))),
        }
    }

    /// As serde_json: `null` is `None`, anything else `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.bytes.get(self.at) == Some(&0) {
            self.at += 1;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    /// As serde_json: a newtype is its content.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// The rest of an array's values, or of an object's fields.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    left: usize,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> MapAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let key = self.reader.str()?;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(&mut *self.reader)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

#[cfg(test)]
mod tests {
    use crate::claims::model::{Models, models};

    /// The packed models are the JSON's, bit for bit: every float, as
    /// serde_json writes it back (shortest round-trip form), is the same.
    #[test]
    fn packed_models_are_the_json_models() {
        let from_json: Models = serde_json::from_str(include_str!("claims/model.json")).unwrap();
        let again = |m: &Models| serde_json::to_string(m).unwrap();
        assert_eq!(again(models()), again(&from_json));
        assert!(models().row.mean.len() > 10);
    }

    #[test]
    fn malformed_bytes_are_errors() {
        let packed = include_bytes!(concat!(env!("OUT_DIR"), "/model.bin"));
        for cut in [0, 1, 5, packed.len() / 2, packed.len() - 1] {
            assert!(
                super::from_bytes::<Models>(&packed[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = packed.to_vec();
        longer.push(0);
        assert!(super::from_bytes::<Models>(&longer).is_err());
    }
}
