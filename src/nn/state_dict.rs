//! Weights as JSON in PyTorch's own terms: an object mapping the state-dict
//! names of the word_language_model example to nested lists, exactly what
//! `{k: v.tolist() for k, v in model.state_dict().items()}` gives. So
//!
//! ```python
//! model.load_state_dict({k: torch.tensor(v) for k, v in json.load(f).items()})
//! ```
//!
//! loads our weights into PyTorch, and `json.dump` of the dict above loads
//! into batchscope (`train --init`).

use crate::nn::float::Float;
use crate::nn::model::{Model, ModelConfig};
use serde_json::{Map, Value};
use std::fmt;

/// Why a weights file cannot become a model.
#[derive(Clone, Debug, PartialEq)]
pub enum StateDictError {
    NotJson(String),
    NotAnObject,
    Missing {
        name: String,
    },
    Unexpected {
        name: String,
    },
    Shape {
        name: String,
        expected: Vec<usize>,
        found: Vec<usize>,
    },
    NotNumbers {
        name: String,
    },
    Layers {
        found: usize,
    },
}

impl fmt::Display for StateDictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateDictError::NotJson(e) => write!(f, "weights file is not JSON: {e}"),
            StateDictError::NotAnObject => write!(f, "weights file must be a JSON object of name → nested list"),
            StateDictError::Missing { name } => write!(f, "tensor `{name}` is missing"),
            StateDictError::Unexpected { name } => write!(
                f,
                "unexpected tensor `{name}` (expected encoder.weight, rnn.weight_ih_l{{k}}, rnn.weight_hh_l{{k}}, rnn.bias_ih_l{{k}}, rnn.bias_hh_l{{k}}, decoder.weight, decoder.bias)"
            ),
            StateDictError::Shape { name, expected, found } => {
                write!(f, "tensor `{name}` has shape {found:?}, expected {expected:?}")
            }
            StateDictError::NotNumbers { name } => write!(f, "tensor `{name}` is not a nested list of numbers of one shape"),
            StateDictError::Layers { found } => write!(f, "the LSTM has {found} layers; batchscope supports 1 to 3"),
        }
    }
}

impl std::error::Error for StateDictError {}

/// The model as a PyTorch-style state dict in JSON.
pub fn to_json<T: Float>(model: &Model<T>) -> String {
    let mut map = Map::new();
    for (name, shape, offset) in model.config.tensors() {
        let size: usize = shape.iter().product();
        let values = &model.params[offset..offset + size];
        let as_json = |v: &T| Value::from(v.to_f64());
        let value = if shape.len() == 1 {
            Value::Array(values.iter().map(as_json).collect())
        } else {
            Value::Array(
                values
                    .chunks(shape[1])
                    .map(|row| Value::Array(row.iter().map(as_json).collect()))
                    .collect(),
            )
        };
        map.insert(name, value);
    }
    serde_json::to_string(&Value::Object(map)).expect("finite numbers serialise")
}

/// Reads a state dict; the sizes (V, E, H, layers) come from the tensors'
/// shapes, and every tensor must agree with them.
pub fn from_json<T: Float>(text: &str) -> Result<Model<T>, StateDictError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| StateDictError::NotJson(e.to_string()))?;
    let Value::Object(map) = value else {
        return Err(StateDictError::NotAnObject);
    };
    let shape_of = |name: &str| -> Result<(Vec<usize>, Vec<f64>), StateDictError> {
        let v = map
            .get(name)
            .ok_or_else(|| StateDictError::Missing { name: name.into() })?;
        flatten(v).ok_or_else(|| StateDictError::NotNumbers { name: name.into() })
    };
    let (enc_shape, _) = shape_of("encoder.weight")?;
    let (hh_shape, _) = shape_of("rnn.weight_hh_l0")?;
    if enc_shape.len() != 2 {
        return Err(StateDictError::Shape {
            name: "encoder.weight".into(),
            expected: vec![0, 0],
            found: enc_shape,
        });
    }
    if hh_shape.len() != 2 || hh_shape[0] != 4 * hh_shape[1] {
        let h = hh_shape.last().copied().unwrap_or(0);
        return Err(StateDictError::Shape {
            name: "rnn.weight_hh_l0".into(),
            expected: vec![4 * h, h],
            found: hh_shape,
        });
    }
    let layers = (0..)
        .take_while(|l| map.contains_key(&format!("rnn.weight_ih_l{l}")))
        .count();
    if !(1..=3).contains(&layers) {
        return Err(StateDictError::Layers { found: layers });
    }
    let config = ModelConfig {
        vocab: enc_shape[0],
        embed: enc_shape[1],
        hidden: hh_shape[1],
        layers,
    };
    from_map(&map, config)
}

/// Reads a state dict that must have exactly the sizes of `config`.
pub fn from_json_with<T: Float>(
    text: &str,
    config: ModelConfig,
) -> Result<Model<T>, StateDictError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| StateDictError::NotJson(e.to_string()))?;
    let Value::Object(map) = value else {
        return Err(StateDictError::NotAnObject);
    };
    from_map(&map, config)
}

fn from_map<T: Float>(
    map: &Map<String, Value>,
    config: ModelConfig,
) -> Result<Model<T>, StateDictError> {
    let tensors = config.tensors();
    if let Some(name) = map
        .keys()
        .find(|k| !tensors.iter().any(|(n, _, _)| n == *k))
    {
        return Err(StateDictError::Unexpected { name: name.clone() });
    }
    let mut params = vec![T::ZERO; config.num_params()];
    for (name, expected, offset) in tensors {
        let value = map
            .get(&name)
            .ok_or_else(|| StateDictError::Missing { name: name.clone() })?;
        let (found, values) =
            flatten(value).ok_or_else(|| StateDictError::NotNumbers { name: name.clone() })?;
        if found != expected {
            return Err(StateDictError::Shape {
                name,
                expected,
                found,
            });
        }
        for (p, v) in params[offset..offset + values.len()].iter_mut().zip(values) {
            *p = T::from_f64(v);
        }
    }
    Ok(Model { config, params })
}

/// A nested list of numbers → (shape, values in row-major order); `None` if
/// ragged or not numbers.
fn flatten(value: &Value) -> Option<(Vec<usize>, Vec<f64>)> {
    match value {
        Value::Number(n) => Some((vec![], vec![n.as_f64()?])),
        Value::Array(items) => {
            let mut shape = None;
            let mut values = Vec::new();
            for item in items {
                let (s, v) = flatten(item)?;
                if shape.get_or_insert_with(|| s.clone()) != &s {
                    return None;
                }
                values.extend(v);
            }
            let mut full = vec![items.len()];
            full.extend(shape.unwrap_or_default());
            Some((full, values))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
