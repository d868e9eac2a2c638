//! `?page=&page_size=` and the page of results that answers it.

use crate::validation::ValidationErrors;

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;
/// Far beyond any real list, and small enough that `page * page_size`
/// can never overflow in an adapter.
pub const MAX_PAGE: u64 = 10_000_000;

/// A checked page request: `page >= 1`, `page_size` in `1..=100`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    page: u64,
    page_size: u64,
}

impl PageRequest {
    /// Checks the raw query values (signed, so that `-1` is reported as out
    /// of range rather than as unparseable).
    pub fn new(page: Option<i64>, page_size: Option<i64>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let page = u64::try_from(page.unwrap_or(1))
            .ok()
            .filter(|page| (1..=MAX_PAGE).contains(page));
        let page_size = u64::try_from(page_size.unwrap_or(DEFAULT_PAGE_SIZE as i64))
            .ok()
            .filter(|size| (1..=MAX_PAGE_SIZE).contains(size));
        if page.is_none() {
            errors.add("page", format!("must be between 1 and {MAX_PAGE}"));
        }
        if page_size.is_none() {
            errors.add(
                "page_size",
                format!("must be between 1 and {MAX_PAGE_SIZE}"),
            );
        }
        match (page, page_size) {
            (Some(page), Some(page_size)) => Ok(Self { page, page_size }),
            _ => Err(errors),
        }
    }

    pub fn page(&self) -> u64 {
        self.page
    }

    pub fn page_size(&self) -> u64 {
        self.page_size
    }

    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.page_size)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// One page of a list, with the total count over all pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub page_size: u64,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, request: PageRequest, total: u64) -> Self {
        Self {
            items,
            page: request.page,
            page_size: request.page_size,
            total,
        }
    }

    /// Converts every item, stopping at the first failure.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            page: self.page,
            page_size: self.page_size,
            total: self.total,
        })
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            page_size: self.page_size,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        let default = PageRequest::new(None, None).unwrap();
        assert_eq!(
            (default.page(), default.page_size(), default.offset()),
            (1, 20, 0)
        );
        assert_eq!(PageRequest::new(Some(3), Some(10)).unwrap().offset(), 20);
        assert!(PageRequest::new(Some(1), Some(100)).is_ok());
        assert!(PageRequest::new(Some(MAX_PAGE as i64), Some(100)).is_ok());
        for (page, size) in [(0, 20), (-1, 20), (1, 0), (1, 101), (1, -5), (i64::MAX, 20)] {
            assert!(
                PageRequest::new(Some(page), Some(size)).is_err(),
                "{page} {size}"
            );
        }
    }
}
