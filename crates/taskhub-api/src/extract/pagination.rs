//! `?page=&page_size=` in, `{"items", "page", "page_size", "total"}` out.

use serde::{Deserialize, Serialize};
use taskhub_domain::pagination::{Page, PageRequest};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    #[param(minimum = 1, example = 1)]
    pub page: Option<i64>,
    /// Items per page, 1..=100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub page_size: Option<i64>,
}

impl PageQuery {
    /// Out-of-range values are 422; non-numbers were already 400.
    pub fn to_request(&self) -> Result<PageRequest, ApiError> {
        PageRequest::new(self.page, self.page_size).map_err(|errors| ApiError::validation(&errors))
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paginated<T> {
    pub items: Vec<T>,
    #[schema(example = 1)]
    pub page: u64,
    #[schema(example = 20)]
    pub page_size: u64,
    /// Items over all pages.
    #[schema(example = 57)]
    pub total: u64,
}

impl<T> Paginated<T> {
    pub fn from_page<D>(page: Page<D>, to_item: impl FnMut(D) -> T) -> Self {
        let page = page.map(to_item);
        Self {
            items: page.items,
            page: page.page,
            page_size: page.page_size,
            total: page.total,
        }
    }
}
