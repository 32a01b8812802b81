#pragma once
#include <napi.h>

namespace tsv {
void RegisterOps(Napi::Env env, Napi::Object exports);
void RegisterOciOps(Napi::Env env, Napi::Object exports);  // oci_ops.cc
}
