//! Gives `libtessera.so` its SONAME, `libtessera.so.<major>`, so a program
//! records the ABI it was linked against and the installed link
//! `libtessera.so.0 -> libtessera.so.0.x.y` resolves it.

fn main() {
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libtessera.so.{major}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
