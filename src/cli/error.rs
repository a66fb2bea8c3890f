//! The CLI's error type and the exit codes of the design's contract.

use track::compare::ResolveError;
use track::store::StoreError;

/// Exit codes (contract): 0 success / no differences, 1 differences found
/// (or damage found by `verify`), 2 bad input or usage, 3 internal error.
pub mod exit {
    pub const OK: i32 = 0;
    pub const DIFFERENCES: i32 = 1;
    pub const BAD_INPUT: i32 = 2;
    pub const INTERNAL: i32 = 3;
}

/// An error that ends the command, with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    pub fn input(message: impl Into<String>) -> CliError {
        CliError {
            code: exit::BAD_INPUT,
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> CliError {
        CliError {
            code: exit::INTERNAL,
            message: message.into(),
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> CliError {
        let code = match e {
            StoreError::Foreign { .. }
            | StoreError::Newer { .. }
            | StoreError::Missing { .. }
            | StoreError::Open { .. }
            | StoreError::UnknownArticle(_)
            | StoreError::UnknownVersion { .. }
            | StoreError::NoEarlierState { .. }
            | StoreError::OutOfOrder { .. }
            | StoreError::ControlInKey(_) => exit::BAD_INPUT,
            StoreError::Damaged { .. }
            | StoreError::Locked { .. }
            | StoreError::Blob { .. }
            | StoreError::Sql(_) => exit::INTERNAL,
        };
        CliError {
            code,
            message: e.to_string(),
        }
    }
}

impl From<ResolveError> for CliError {
    fn from(e: ResolveError) -> CliError {
        match e {
            ResolveError::Store(e) => e.into(),
            ResolveError::FirstVersion { .. } | ResolveError::RefCount => {
                CliError::input(e.to_string())
            }
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        // A closed pipe (`track log K | head`) is not a failure: end quietly.
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError {
                code: exit::OK,
                message: String::new(),
            };
        }
        CliError::internal(format!("writing output: {e}"))
    }
}
