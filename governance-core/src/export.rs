//! Writing contracts in another standard: every contract, whatever its standard, as ODCS
//! v3.1.0 ([`Contract::to_odcs`](crate::Contract::to_odcs)), the standard the catalogs
//! (`DataHub`, `OpenMetadata`, Collibra) ingest.

mod carried;
pub(crate) mod odcs;
pub(crate) mod yaml;

pub use carried::NotCarried;
pub use odcs::OdcsExport;
