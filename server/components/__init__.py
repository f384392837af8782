"""The component registry: versioned tarballs, downloads and the npm protocol."""
