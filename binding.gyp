{
  "targets": [
    {
      "target_name": "tsvisor",
      "sources": [
        "native/addon/module.cc",
        "native/addon/sandbox.cc",
        "native/addon/tracer.cc",
        "native/addon/ops.cc",
        "native/addon/net.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_DISABLE_CPP_EXCEPTIONS", "NAPI_VERSION=8"],
      "cflags_cc": ["-O2", "-std=c++17", "-Wall", "-Wno-missing-field-initializers"],
      "cflags_cc!": ["-fno-exceptions"]
    },
    {
      "target_name": "tsvisor-loader",
      "type": "none",
      "actions": [
        {
          "action_name": "build-loader",
          "inputs": ["native/loader/loader.c", "native/loader/arch.h", "native/include/tsvisor_abi.h", "native/loader/build.sh"],
          "outputs": ["<(PRODUCT_DIR)/tsvisor-loader"],
          "action": ["sh", "native/loader/build.sh", "<(PRODUCT_DIR)/tsvisor-loader"]
        }
      ]
    }
  ]
}
