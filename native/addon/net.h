#pragma once
#include <napi.h>

namespace tsv {
void RegisterNet(Napi::Env env, Napi::Object exports);
}
