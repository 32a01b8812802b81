/* W5 compile workload: generated once by the snippet in test/bench/README.md; ~2400 lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

struct node { int key; double value; struct node *left, *right; char name[32]; };
static struct node *insert(struct node *n, int key, double v) { if (!n) { n = calloc(1, sizeof *n); n->key = key; n->value = v; snprintf(n->name, sizeof n->name, "k%d", key); return n; } if (key < n->key) n->left = insert(n->left, key, v); else n->right = insert(n->right, key, v); return n; }
static uint64_t f0(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 0u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 0) & 7) {
      case 0: h = (h << 1) ^ (h >> 1) ^ p[i] * 7u; break;
      case 1: h = (h << 2) ^ (h >> 4) ^ p[i] * 38u; break;
      case 2: h = (h << 3) ^ (h >> 7) ^ p[i] * 69u; break;
      case 3: h = (h << 4) ^ (h >> 10) ^ p[i] * 100u; break;
      case 4: h = (h << 5) ^ (h >> 13) ^ p[i] * 131u; break;
      case 5: h = (h << 6) ^ (h >> 16) ^ p[i] * 162u; break;
      case 6: h = (h << 7) ^ (h >> 2) ^ p[i] * 193u; break;
      case 7: h = (h << 8) ^ (h >> 5) ^ p[i] * 224u; break;
    }
  }
  return h;
}
static uint64_t f1(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2654435761u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 1) & 7) {
      case 0: h = (h << 2) ^ (h >> 2) ^ p[i] * 8u; break;
      case 1: h = (h << 3) ^ (h >> 5) ^ p[i] * 39u; break;
      case 2: h = (h << 4) ^ (h >> 8) ^ p[i] * 70u; break;
      case 3: h = (h << 5) ^ (h >> 11) ^ p[i] * 101u; break;
      case 4: h = (h << 6) ^ (h >> 14) ^ p[i] * 132u; break;
      case 5: h = (h << 7) ^ (h >> 17) ^ p[i] * 163u; break;
      case 6: h = (h << 8) ^ (h >> 3) ^ p[i] * 194u; break;
      case 7: h = (h << 9) ^ (h >> 6) ^ p[i] * 225u; break;
    }
  }
  return h;
}
static uint64_t f2(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1013904226u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 2) & 7) {
      case 0: h = (h << 3) ^ (h >> 3) ^ p[i] * 9u; break;
      case 1: h = (h << 4) ^ (h >> 6) ^ p[i] * 40u; break;
      case 2: h = (h << 5) ^ (h >> 9) ^ p[i] * 71u; break;
      case 3: h = (h << 6) ^ (h >> 12) ^ p[i] * 102u; break;
      case 4: h = (h << 7) ^ (h >> 15) ^ p[i] * 133u; break;
      case 5: h = (h << 8) ^ (h >> 1) ^ p[i] * 164u; break;
      case 6: h = (h << 9) ^ (h >> 4) ^ p[i] * 195u; break;
      case 7: h = (h << 10) ^ (h >> 7) ^ p[i] * 226u; break;
    }
  }
  return h;
}
static uint64_t f3(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3668339987u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 3) & 7) {
      case 0: h = (h << 4) ^ (h >> 4) ^ p[i] * 10u; break;
      case 1: h = (h << 5) ^ (h >> 7) ^ p[i] * 41u; break;
      case 2: h = (h << 6) ^ (h >> 10) ^ p[i] * 72u; break;
      case 3: h = (h << 7) ^ (h >> 13) ^ p[i] * 103u; break;
      case 4: h = (h << 8) ^ (h >> 16) ^ p[i] * 134u; break;
      case 5: h = (h << 9) ^ (h >> 2) ^ p[i] * 165u; break;
      case 6: h = (h << 10) ^ (h >> 5) ^ p[i] * 196u; break;
      case 7: h = (h << 11) ^ (h >> 8) ^ p[i] * 227u; break;
    }
  }
  return h;
}
static uint64_t f4(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2027808452u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 4) & 7) {
      case 0: h = (h << 5) ^ (h >> 5) ^ p[i] * 11u; break;
      case 1: h = (h << 6) ^ (h >> 8) ^ p[i] * 42u; break;
      case 2: h = (h << 7) ^ (h >> 11) ^ p[i] * 73u; break;
      case 3: h = (h << 8) ^ (h >> 14) ^ p[i] * 104u; break;
      case 4: h = (h << 9) ^ (h >> 17) ^ p[i] * 135u; break;
      case 5: h = (h << 10) ^ (h >> 3) ^ p[i] * 166u; break;
      case 6: h = (h << 11) ^ (h >> 6) ^ p[i] * 197u; break;
      case 7: h = (h << 12) ^ (h >> 9) ^ p[i] * 228u; break;
    }
  }
  return h;
}
static uint64_t f5(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 387276917u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 5) & 7) {
      case 0: h = (h << 6) ^ (h >> 6) ^ p[i] * 12u; break;
      case 1: h = (h << 7) ^ (h >> 9) ^ p[i] * 43u; break;
      case 2: h = (h << 8) ^ (h >> 12) ^ p[i] * 74u; break;
      case 3: h = (h << 9) ^ (h >> 15) ^ p[i] * 105u; break;
      case 4: h = (h << 10) ^ (h >> 1) ^ p[i] * 136u; break;
      case 5: h = (h << 11) ^ (h >> 4) ^ p[i] * 167u; break;
      case 6: h = (h << 12) ^ (h >> 7) ^ p[i] * 198u; break;
      case 7: h = (h << 13) ^ (h >> 10) ^ p[i] * 229u; break;
    }
  }
  return h;
}
static uint64_t f6(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3041712678u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 6) & 7) {
      case 0: h = (h << 7) ^ (h >> 7) ^ p[i] * 13u; break;
      case 1: h = (h << 8) ^ (h >> 10) ^ p[i] * 44u; break;
      case 2: h = (h << 9) ^ (h >> 13) ^ p[i] * 75u; break;
      case 3: h = (h << 10) ^ (h >> 16) ^ p[i] * 106u; break;
      case 4: h = (h << 11) ^ (h >> 2) ^ p[i] * 137u; break;
      case 5: h = (h << 12) ^ (h >> 5) ^ p[i] * 168u; break;
      case 6: h = (h << 13) ^ (h >> 8) ^ p[i] * 199u; break;
      case 7: h = (h << 1) ^ (h >> 11) ^ p[i] * 230u; break;
    }
  }
  return h;
}
static uint64_t f7(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1401181143u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 7) & 7) {
      case 0: h = (h << 8) ^ (h >> 8) ^ p[i] * 14u; break;
      case 1: h = (h << 9) ^ (h >> 11) ^ p[i] * 45u; break;
      case 2: h = (h << 10) ^ (h >> 14) ^ p[i] * 76u; break;
      case 3: h = (h << 11) ^ (h >> 17) ^ p[i] * 107u; break;
      case 4: h = (h << 12) ^ (h >> 3) ^ p[i] * 138u; break;
      case 5: h = (h << 13) ^ (h >> 6) ^ p[i] * 169u; break;
      case 6: h = (h << 1) ^ (h >> 9) ^ p[i] * 200u; break;
      case 7: h = (h << 2) ^ (h >> 12) ^ p[i] * 231u; break;
    }
  }
  return h;
}
static uint64_t f8(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 4055616904u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 8) & 7) {
      case 0: h = (h << 9) ^ (h >> 9) ^ p[i] * 15u; break;
      case 1: h = (h << 10) ^ (h >> 12) ^ p[i] * 46u; break;
      case 2: h = (h << 11) ^ (h >> 15) ^ p[i] * 77u; break;
      case 3: h = (h << 12) ^ (h >> 1) ^ p[i] * 108u; break;
      case 4: h = (h << 13) ^ (h >> 4) ^ p[i] * 139u; break;
      case 5: h = (h << 1) ^ (h >> 7) ^ p[i] * 170u; break;
      case 6: h = (h << 2) ^ (h >> 10) ^ p[i] * 201u; break;
      case 7: h = (h << 3) ^ (h >> 13) ^ p[i] * 232u; break;
    }
  }
  return h;
}
static uint64_t f9(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2415085369u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 9) & 7) {
      case 0: h = (h << 10) ^ (h >> 10) ^ p[i] * 16u; break;
      case 1: h = (h << 11) ^ (h >> 13) ^ p[i] * 47u; break;
      case 2: h = (h << 12) ^ (h >> 16) ^ p[i] * 78u; break;
      case 3: h = (h << 13) ^ (h >> 2) ^ p[i] * 109u; break;
      case 4: h = (h << 1) ^ (h >> 5) ^ p[i] * 140u; break;
      case 5: h = (h << 2) ^ (h >> 8) ^ p[i] * 171u; break;
      case 6: h = (h << 3) ^ (h >> 11) ^ p[i] * 202u; break;
      case 7: h = (h << 4) ^ (h >> 14) ^ p[i] * 233u; break;
    }
  }
  return h;
}
static uint64_t f10(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 774553834u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 10) & 7) {
      case 0: h = (h << 11) ^ (h >> 11) ^ p[i] * 17u; break;
      case 1: h = (h << 12) ^ (h >> 14) ^ p[i] * 48u; break;
      case 2: h = (h << 13) ^ (h >> 17) ^ p[i] * 79u; break;
      case 3: h = (h << 1) ^ (h >> 3) ^ p[i] * 110u; break;
      case 4: h = (h << 2) ^ (h >> 6) ^ p[i] * 141u; break;
      case 5: h = (h << 3) ^ (h >> 9) ^ p[i] * 172u; break;
      case 6: h = (h << 4) ^ (h >> 12) ^ p[i] * 203u; break;
      case 7: h = (h << 5) ^ (h >> 15) ^ p[i] * 234u; break;
    }
  }
  return h;
}
static uint64_t f11(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3428989595u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 11) & 7) {
      case 0: h = (h << 12) ^ (h >> 12) ^ p[i] * 18u; break;
      case 1: h = (h << 13) ^ (h >> 15) ^ p[i] * 49u; break;
      case 2: h = (h << 1) ^ (h >> 1) ^ p[i] * 80u; break;
      case 3: h = (h << 2) ^ (h >> 4) ^ p[i] * 111u; break;
      case 4: h = (h << 3) ^ (h >> 7) ^ p[i] * 142u; break;
      case 5: h = (h << 4) ^ (h >> 10) ^ p[i] * 173u; break;
      case 6: h = (h << 5) ^ (h >> 13) ^ p[i] * 204u; break;
      case 7: h = (h << 6) ^ (h >> 16) ^ p[i] * 235u; break;
    }
  }
  return h;
}
static uint64_t f12(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1788458060u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 12) & 7) {
      case 0: h = (h << 13) ^ (h >> 13) ^ p[i] * 19u; break;
      case 1: h = (h << 1) ^ (h >> 16) ^ p[i] * 50u; break;
      case 2: h = (h << 2) ^ (h >> 2) ^ p[i] * 81u; break;
      case 3: h = (h << 3) ^ (h >> 5) ^ p[i] * 112u; break;
      case 4: h = (h << 4) ^ (h >> 8) ^ p[i] * 143u; break;
      case 5: h = (h << 5) ^ (h >> 11) ^ p[i] * 174u; break;
      case 6: h = (h << 6) ^ (h >> 14) ^ p[i] * 205u; break;
      case 7: h = (h << 7) ^ (h >> 17) ^ p[i] * 236u; break;
    }
  }
  return h;
}
static uint64_t f13(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 147926525u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 13) & 7) {
      case 0: h = (h << 1) ^ (h >> 14) ^ p[i] * 20u; break;
      case 1: h = (h << 2) ^ (h >> 17) ^ p[i] * 51u; break;
      case 2: h = (h << 3) ^ (h >> 3) ^ p[i] * 82u; break;
      case 3: h = (h << 4) ^ (h >> 6) ^ p[i] * 113u; break;
      case 4: h = (h << 5) ^ (h >> 9) ^ p[i] * 144u; break;
      case 5: h = (h << 6) ^ (h >> 12) ^ p[i] * 175u; break;
      case 6: h = (h << 7) ^ (h >> 15) ^ p[i] * 206u; break;
      case 7: h = (h << 8) ^ (h >> 1) ^ p[i] * 237u; break;
    }
  }
  return h;
}
static uint64_t f14(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2802362286u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 14) & 7) {
      case 0: h = (h << 2) ^ (h >> 15) ^ p[i] * 21u; break;
      case 1: h = (h << 3) ^ (h >> 1) ^ p[i] * 52u; break;
      case 2: h = (h << 4) ^ (h >> 4) ^ p[i] * 83u; break;
      case 3: h = (h << 5) ^ (h >> 7) ^ p[i] * 114u; break;
      case 4: h = (h << 6) ^ (h >> 10) ^ p[i] * 145u; break;
      case 5: h = (h << 7) ^ (h >> 13) ^ p[i] * 176u; break;
      case 6: h = (h << 8) ^ (h >> 16) ^ p[i] * 207u; break;
      case 7: h = (h << 9) ^ (h >> 2) ^ p[i] * 238u; break;
    }
  }
  return h;
}
static uint64_t f15(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1161830751u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 15) & 7) {
      case 0: h = (h << 3) ^ (h >> 16) ^ p[i] * 22u; break;
      case 1: h = (h << 4) ^ (h >> 2) ^ p[i] * 53u; break;
      case 2: h = (h << 5) ^ (h >> 5) ^ p[i] * 84u; break;
      case 3: h = (h << 6) ^ (h >> 8) ^ p[i] * 115u; break;
      case 4: h = (h << 7) ^ (h >> 11) ^ p[i] * 146u; break;
      case 5: h = (h << 8) ^ (h >> 14) ^ p[i] * 177u; break;
      case 6: h = (h << 9) ^ (h >> 17) ^ p[i] * 208u; break;
      case 7: h = (h << 10) ^ (h >> 3) ^ p[i] * 239u; break;
    }
  }
  return h;
}
static uint64_t f16(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3816266512u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 16) & 7) {
      case 0: h = (h << 4) ^ (h >> 17) ^ p[i] * 23u; break;
      case 1: h = (h << 5) ^ (h >> 3) ^ p[i] * 54u; break;
      case 2: h = (h << 6) ^ (h >> 6) ^ p[i] * 85u; break;
      case 3: h = (h << 7) ^ (h >> 9) ^ p[i] * 116u; break;
      case 4: h = (h << 8) ^ (h >> 12) ^ p[i] * 147u; break;
      case 5: h = (h << 9) ^ (h >> 15) ^ p[i] * 178u; break;
      case 6: h = (h << 10) ^ (h >> 1) ^ p[i] * 209u; break;
      case 7: h = (h << 11) ^ (h >> 4) ^ p[i] * 240u; break;
    }
  }
  return h;
}
static uint64_t f17(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2175734977u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 17) & 7) {
      case 0: h = (h << 5) ^ (h >> 1) ^ p[i] * 24u; break;
      case 1: h = (h << 6) ^ (h >> 4) ^ p[i] * 55u; break;
      case 2: h = (h << 7) ^ (h >> 7) ^ p[i] * 86u; break;
      case 3: h = (h << 8) ^ (h >> 10) ^ p[i] * 117u; break;
      case 4: h = (h << 9) ^ (h >> 13) ^ p[i] * 148u; break;
      case 5: h = (h << 10) ^ (h >> 16) ^ p[i] * 179u; break;
      case 6: h = (h << 11) ^ (h >> 2) ^ p[i] * 210u; break;
      case 7: h = (h << 12) ^ (h >> 5) ^ p[i] * 241u; break;
    }
  }
  return h;
}
static uint64_t f18(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 535203442u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 18) & 7) {
      case 0: h = (h << 6) ^ (h >> 2) ^ p[i] * 25u; break;
      case 1: h = (h << 7) ^ (h >> 5) ^ p[i] * 56u; break;
      case 2: h = (h << 8) ^ (h >> 8) ^ p[i] * 87u; break;
      case 3: h = (h << 9) ^ (h >> 11) ^ p[i] * 118u; break;
      case 4: h = (h << 10) ^ (h >> 14) ^ p[i] * 149u; break;
      case 5: h = (h << 11) ^ (h >> 17) ^ p[i] * 180u; break;
      case 6: h = (h << 12) ^ (h >> 3) ^ p[i] * 211u; break;
      case 7: h = (h << 13) ^ (h >> 6) ^ p[i] * 242u; break;
    }
  }
  return h;
}
static uint64_t f19(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3189639203u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 19) & 7) {
      case 0: h = (h << 7) ^ (h >> 3) ^ p[i] * 26u; break;
      case 1: h = (h << 8) ^ (h >> 6) ^ p[i] * 57u; break;
      case 2: h = (h << 9) ^ (h >> 9) ^ p[i] * 88u; break;
      case 3: h = (h << 10) ^ (h >> 12) ^ p[i] * 119u; break;
      case 4: h = (h << 11) ^ (h >> 15) ^ p[i] * 150u; break;
      case 5: h = (h << 12) ^ (h >> 1) ^ p[i] * 181u; break;
      case 6: h = (h << 13) ^ (h >> 4) ^ p[i] * 212u; break;
      case 7: h = (h << 1) ^ (h >> 7) ^ p[i] * 243u; break;
    }
  }
  return h;
}
static uint64_t f20(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1549107668u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 20) & 7) {
      case 0: h = (h << 8) ^ (h >> 4) ^ p[i] * 27u; break;
      case 1: h = (h << 9) ^ (h >> 7) ^ p[i] * 58u; break;
      case 2: h = (h << 10) ^ (h >> 10) ^ p[i] * 89u; break;
      case 3: h = (h << 11) ^ (h >> 13) ^ p[i] * 120u; break;
      case 4: h = (h << 12) ^ (h >> 16) ^ p[i] * 151u; break;
      case 5: h = (h << 13) ^ (h >> 2) ^ p[i] * 182u; break;
      case 6: h = (h << 1) ^ (h >> 5) ^ p[i] * 213u; break;
      case 7: h = (h << 2) ^ (h >> 8) ^ p[i] * 244u; break;
    }
  }
  return h;
}
static uint64_t f21(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 4203543429u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 21) & 7) {
      case 0: h = (h << 9) ^ (h >> 5) ^ p[i] * 28u; break;
      case 1: h = (h << 10) ^ (h >> 8) ^ p[i] * 59u; break;
      case 2: h = (h << 11) ^ (h >> 11) ^ p[i] * 90u; break;
      case 3: h = (h << 12) ^ (h >> 14) ^ p[i] * 121u; break;
      case 4: h = (h << 13) ^ (h >> 17) ^ p[i] * 152u; break;
      case 5: h = (h << 1) ^ (h >> 3) ^ p[i] * 183u; break;
      case 6: h = (h << 2) ^ (h >> 6) ^ p[i] * 214u; break;
      case 7: h = (h << 3) ^ (h >> 9) ^ p[i] * 245u; break;
    }
  }
  return h;
}
static uint64_t f22(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2563011894u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 22) & 7) {
      case 0: h = (h << 10) ^ (h >> 6) ^ p[i] * 29u; break;
      case 1: h = (h << 11) ^ (h >> 9) ^ p[i] * 60u; break;
      case 2: h = (h << 12) ^ (h >> 12) ^ p[i] * 91u; break;
      case 3: h = (h << 13) ^ (h >> 15) ^ p[i] * 122u; break;
      case 4: h = (h << 1) ^ (h >> 1) ^ p[i] * 153u; break;
      case 5: h = (h << 2) ^ (h >> 4) ^ p[i] * 184u; break;
      case 6: h = (h << 3) ^ (h >> 7) ^ p[i] * 215u; break;
      case 7: h = (h << 4) ^ (h >> 10) ^ p[i] * 246u; break;
    }
  }
  return h;
}
static uint64_t f23(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 922480359u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 23) & 7) {
      case 0: h = (h << 11) ^ (h >> 7) ^ p[i] * 30u; break;
      case 1: h = (h << 12) ^ (h >> 10) ^ p[i] * 61u; break;
      case 2: h = (h << 13) ^ (h >> 13) ^ p[i] * 92u; break;
      case 3: h = (h << 1) ^ (h >> 16) ^ p[i] * 123u; break;
      case 4: h = (h << 2) ^ (h >> 2) ^ p[i] * 154u; break;
      case 5: h = (h << 3) ^ (h >> 5) ^ p[i] * 185u; break;
      case 6: h = (h << 4) ^ (h >> 8) ^ p[i] * 216u; break;
      case 7: h = (h << 5) ^ (h >> 11) ^ p[i] * 247u; break;
    }
  }
  return h;
}
static uint64_t f24(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3576916120u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 24) & 7) {
      case 0: h = (h << 12) ^ (h >> 8) ^ p[i] * 31u; break;
      case 1: h = (h << 13) ^ (h >> 11) ^ p[i] * 62u; break;
      case 2: h = (h << 1) ^ (h >> 14) ^ p[i] * 93u; break;
      case 3: h = (h << 2) ^ (h >> 17) ^ p[i] * 124u; break;
      case 4: h = (h << 3) ^ (h >> 3) ^ p[i] * 155u; break;
      case 5: h = (h << 4) ^ (h >> 6) ^ p[i] * 186u; break;
      case 6: h = (h << 5) ^ (h >> 9) ^ p[i] * 217u; break;
      case 7: h = (h << 6) ^ (h >> 12) ^ p[i] * 248u; break;
    }
  }
  return h;
}
static uint64_t f25(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1936384585u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 25) & 7) {
      case 0: h = (h << 13) ^ (h >> 9) ^ p[i] * 32u; break;
      case 1: h = (h << 1) ^ (h >> 12) ^ p[i] * 63u; break;
      case 2: h = (h << 2) ^ (h >> 15) ^ p[i] * 94u; break;
      case 3: h = (h << 3) ^ (h >> 1) ^ p[i] * 125u; break;
      case 4: h = (h << 4) ^ (h >> 4) ^ p[i] * 156u; break;
      case 5: h = (h << 5) ^ (h >> 7) ^ p[i] * 187u; break;
      case 6: h = (h << 6) ^ (h >> 10) ^ p[i] * 218u; break;
      case 7: h = (h << 7) ^ (h >> 13) ^ p[i] * 249u; break;
    }
  }
  return h;
}
static uint64_t f26(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 295853050u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 26) & 7) {
      case 0: h = (h << 1) ^ (h >> 10) ^ p[i] * 33u; break;
      case 1: h = (h << 2) ^ (h >> 13) ^ p[i] * 64u; break;
      case 2: h = (h << 3) ^ (h >> 16) ^ p[i] * 95u; break;
      case 3: h = (h << 4) ^ (h >> 2) ^ p[i] * 126u; break;
      case 4: h = (h << 5) ^ (h >> 5) ^ p[i] * 157u; break;
      case 5: h = (h << 6) ^ (h >> 8) ^ p[i] * 188u; break;
      case 6: h = (h << 7) ^ (h >> 11) ^ p[i] * 219u; break;
      case 7: h = (h << 8) ^ (h >> 14) ^ p[i] * 250u; break;
    }
  }
  return h;
}
static uint64_t f27(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2950288811u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 27) & 7) {
      case 0: h = (h << 2) ^ (h >> 11) ^ p[i] * 34u; break;
      case 1: h = (h << 3) ^ (h >> 14) ^ p[i] * 65u; break;
      case 2: h = (h << 4) ^ (h >> 17) ^ p[i] * 96u; break;
      case 3: h = (h << 5) ^ (h >> 3) ^ p[i] * 127u; break;
      case 4: h = (h << 6) ^ (h >> 6) ^ p[i] * 158u; break;
      case 5: h = (h << 7) ^ (h >> 9) ^ p[i] * 189u; break;
      case 6: h = (h << 8) ^ (h >> 12) ^ p[i] * 220u; break;
      case 7: h = (h << 9) ^ (h >> 15) ^ p[i] * 251u; break;
    }
  }
  return h;
}
static uint64_t f28(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1309757276u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 28) & 7) {
      case 0: h = (h << 3) ^ (h >> 12) ^ p[i] * 35u; break;
      case 1: h = (h << 4) ^ (h >> 15) ^ p[i] * 66u; break;
      case 2: h = (h << 5) ^ (h >> 1) ^ p[i] * 97u; break;
      case 3: h = (h << 6) ^ (h >> 4) ^ p[i] * 128u; break;
      case 4: h = (h << 7) ^ (h >> 7) ^ p[i] * 159u; break;
      case 5: h = (h << 8) ^ (h >> 10) ^ p[i] * 190u; break;
      case 6: h = (h << 9) ^ (h >> 13) ^ p[i] * 221u; break;
      case 7: h = (h << 10) ^ (h >> 16) ^ p[i] * 252u; break;
    }
  }
  return h;
}
static uint64_t f29(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3964193037u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 29) & 7) {
      case 0: h = (h << 4) ^ (h >> 13) ^ p[i] * 36u; break;
      case 1: h = (h << 5) ^ (h >> 16) ^ p[i] * 67u; break;
      case 2: h = (h << 6) ^ (h >> 2) ^ p[i] * 98u; break;
      case 3: h = (h << 7) ^ (h >> 5) ^ p[i] * 129u; break;
      case 4: h = (h << 8) ^ (h >> 8) ^ p[i] * 160u; break;
      case 5: h = (h << 9) ^ (h >> 11) ^ p[i] * 191u; break;
      case 6: h = (h << 10) ^ (h >> 14) ^ p[i] * 222u; break;
      case 7: h = (h << 11) ^ (h >> 17) ^ p[i] * 253u; break;
    }
  }
  return h;
}
static uint64_t f30(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2323661502u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 30) & 7) {
      case 0: h = (h << 5) ^ (h >> 14) ^ p[i] * 37u; break;
      case 1: h = (h << 6) ^ (h >> 17) ^ p[i] * 68u; break;
      case 2: h = (h << 7) ^ (h >> 3) ^ p[i] * 99u; break;
      case 3: h = (h << 8) ^ (h >> 6) ^ p[i] * 130u; break;
      case 4: h = (h << 9) ^ (h >> 9) ^ p[i] * 161u; break;
      case 5: h = (h << 10) ^ (h >> 12) ^ p[i] * 192u; break;
      case 6: h = (h << 11) ^ (h >> 15) ^ p[i] * 223u; break;
      case 7: h = (h << 12) ^ (h >> 1) ^ p[i] * 254u; break;
    }
  }
  return h;
}
static uint64_t f31(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 683129967u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 31) & 7) {
      case 0: h = (h << 6) ^ (h >> 15) ^ p[i] * 38u; break;
      case 1: h = (h << 7) ^ (h >> 1) ^ p[i] * 69u; break;
      case 2: h = (h << 8) ^ (h >> 4) ^ p[i] * 100u; break;
      case 3: h = (h << 9) ^ (h >> 7) ^ p[i] * 131u; break;
      case 4: h = (h << 10) ^ (h >> 10) ^ p[i] * 162u; break;
      case 5: h = (h << 11) ^ (h >> 13) ^ p[i] * 193u; break;
      case 6: h = (h << 12) ^ (h >> 16) ^ p[i] * 224u; break;
      case 7: h = (h << 13) ^ (h >> 2) ^ p[i] * 255u; break;
    }
  }
  return h;
}
static uint64_t f32(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3337565728u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 32) & 7) {
      case 0: h = (h << 7) ^ (h >> 16) ^ p[i] * 39u; break;
      case 1: h = (h << 8) ^ (h >> 2) ^ p[i] * 70u; break;
      case 2: h = (h << 9) ^ (h >> 5) ^ p[i] * 101u; break;
      case 3: h = (h << 10) ^ (h >> 8) ^ p[i] * 132u; break;
      case 4: h = (h << 11) ^ (h >> 11) ^ p[i] * 163u; break;
      case 5: h = (h << 12) ^ (h >> 14) ^ p[i] * 194u; break;
      case 6: h = (h << 13) ^ (h >> 17) ^ p[i] * 225u; break;
      case 7: h = (h << 1) ^ (h >> 3) ^ p[i] * 256u; break;
    }
  }
  return h;
}
static uint64_t f33(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1697034193u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 33) & 7) {
      case 0: h = (h << 8) ^ (h >> 17) ^ p[i] * 40u; break;
      case 1: h = (h << 9) ^ (h >> 3) ^ p[i] * 71u; break;
      case 2: h = (h << 10) ^ (h >> 6) ^ p[i] * 102u; break;
      case 3: h = (h << 11) ^ (h >> 9) ^ p[i] * 133u; break;
      case 4: h = (h << 12) ^ (h >> 12) ^ p[i] * 164u; break;
      case 5: h = (h << 13) ^ (h >> 15) ^ p[i] * 195u; break;
      case 6: h = (h << 1) ^ (h >> 1) ^ p[i] * 226u; break;
      case 7: h = (h << 2) ^ (h >> 4) ^ p[i] * 257u; break;
    }
  }
  return h;
}
static uint64_t f34(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 56502658u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 34) & 7) {
      case 0: h = (h << 9) ^ (h >> 1) ^ p[i] * 41u; break;
      case 1: h = (h << 10) ^ (h >> 4) ^ p[i] * 72u; break;
      case 2: h = (h << 11) ^ (h >> 7) ^ p[i] * 103u; break;
      case 3: h = (h << 12) ^ (h >> 10) ^ p[i] * 134u; break;
      case 4: h = (h << 13) ^ (h >> 13) ^ p[i] * 165u; break;
      case 5: h = (h << 1) ^ (h >> 16) ^ p[i] * 196u; break;
      case 6: h = (h << 2) ^ (h >> 2) ^ p[i] * 227u; break;
      case 7: h = (h << 3) ^ (h >> 5) ^ p[i] * 258u; break;
    }
  }
  return h;
}
static uint64_t f35(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2710938419u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 35) & 7) {
      case 0: h = (h << 10) ^ (h >> 2) ^ p[i] * 42u; break;
      case 1: h = (h << 11) ^ (h >> 5) ^ p[i] * 73u; break;
      case 2: h = (h << 12) ^ (h >> 8) ^ p[i] * 104u; break;
      case 3: h = (h << 13) ^ (h >> 11) ^ p[i] * 135u; break;
      case 4: h = (h << 1) ^ (h >> 14) ^ p[i] * 166u; break;
      case 5: h = (h << 2) ^ (h >> 17) ^ p[i] * 197u; break;
      case 6: h = (h << 3) ^ (h >> 3) ^ p[i] * 228u; break;
      case 7: h = (h << 4) ^ (h >> 6) ^ p[i] * 259u; break;
    }
  }
  return h;
}
static uint64_t f36(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1070406884u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 36) & 7) {
      case 0: h = (h << 11) ^ (h >> 3) ^ p[i] * 43u; break;
      case 1: h = (h << 12) ^ (h >> 6) ^ p[i] * 74u; break;
      case 2: h = (h << 13) ^ (h >> 9) ^ p[i] * 105u; break;
      case 3: h = (h << 1) ^ (h >> 12) ^ p[i] * 136u; break;
      case 4: h = (h << 2) ^ (h >> 15) ^ p[i] * 167u; break;
      case 5: h = (h << 3) ^ (h >> 1) ^ p[i] * 198u; break;
      case 6: h = (h << 4) ^ (h >> 4) ^ p[i] * 229u; break;
      case 7: h = (h << 5) ^ (h >> 7) ^ p[i] * 260u; break;
    }
  }
  return h;
}
static uint64_t f37(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3724842645u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 37) & 7) {
      case 0: h = (h << 12) ^ (h >> 4) ^ p[i] * 44u; break;
      case 1: h = (h << 13) ^ (h >> 7) ^ p[i] * 75u; break;
      case 2: h = (h << 1) ^ (h >> 10) ^ p[i] * 106u; break;
      case 3: h = (h << 2) ^ (h >> 13) ^ p[i] * 137u; break;
      case 4: h = (h << 3) ^ (h >> 16) ^ p[i] * 168u; break;
      case 5: h = (h << 4) ^ (h >> 2) ^ p[i] * 199u; break;
      case 6: h = (h << 5) ^ (h >> 5) ^ p[i] * 230u; break;
      case 7: h = (h << 6) ^ (h >> 8) ^ p[i] * 261u; break;
    }
  }
  return h;
}
static uint64_t f38(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2084311110u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 38) & 7) {
      case 0: h = (h << 13) ^ (h >> 5) ^ p[i] * 45u; break;
      case 1: h = (h << 1) ^ (h >> 8) ^ p[i] * 76u; break;
      case 2: h = (h << 2) ^ (h >> 11) ^ p[i] * 107u; break;
      case 3: h = (h << 3) ^ (h >> 14) ^ p[i] * 138u; break;
      case 4: h = (h << 4) ^ (h >> 17) ^ p[i] * 169u; break;
      case 5: h = (h << 5) ^ (h >> 3) ^ p[i] * 200u; break;
      case 6: h = (h << 6) ^ (h >> 6) ^ p[i] * 231u; break;
      case 7: h = (h << 7) ^ (h >> 9) ^ p[i] * 262u; break;
    }
  }
  return h;
}
static uint64_t f39(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 443779575u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 39) & 7) {
      case 0: h = (h << 1) ^ (h >> 6) ^ p[i] * 46u; break;
      case 1: h = (h << 2) ^ (h >> 9) ^ p[i] * 77u; break;
      case 2: h = (h << 3) ^ (h >> 12) ^ p[i] * 108u; break;
      case 3: h = (h << 4) ^ (h >> 15) ^ p[i] * 139u; break;
      case 4: h = (h << 5) ^ (h >> 1) ^ p[i] * 170u; break;
      case 5: h = (h << 6) ^ (h >> 4) ^ p[i] * 201u; break;
      case 6: h = (h << 7) ^ (h >> 7) ^ p[i] * 232u; break;
      case 7: h = (h << 8) ^ (h >> 10) ^ p[i] * 263u; break;
    }
  }
  return h;
}
static uint64_t f40(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3098215336u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 40) & 7) {
      case 0: h = (h << 2) ^ (h >> 7) ^ p[i] * 47u; break;
      case 1: h = (h << 3) ^ (h >> 10) ^ p[i] * 78u; break;
      case 2: h = (h << 4) ^ (h >> 13) ^ p[i] * 109u; break;
      case 3: h = (h << 5) ^ (h >> 16) ^ p[i] * 140u; break;
      case 4: h = (h << 6) ^ (h >> 2) ^ p[i] * 171u; break;
      case 5: h = (h << 7) ^ (h >> 5) ^ p[i] * 202u; break;
      case 6: h = (h << 8) ^ (h >> 8) ^ p[i] * 233u; break;
      case 7: h = (h << 9) ^ (h >> 11) ^ p[i] * 264u; break;
    }
  }
  return h;
}
static uint64_t f41(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1457683801u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 41) & 7) {
      case 0: h = (h << 3) ^ (h >> 8) ^ p[i] * 48u; break;
      case 1: h = (h << 4) ^ (h >> 11) ^ p[i] * 79u; break;
      case 2: h = (h << 5) ^ (h >> 14) ^ p[i] * 110u; break;
      case 3: h = (h << 6) ^ (h >> 17) ^ p[i] * 141u; break;
      case 4: h = (h << 7) ^ (h >> 3) ^ p[i] * 172u; break;
      case 5: h = (h << 8) ^ (h >> 6) ^ p[i] * 203u; break;
      case 6: h = (h << 9) ^ (h >> 9) ^ p[i] * 234u; break;
      case 7: h = (h << 10) ^ (h >> 12) ^ p[i] * 265u; break;
    }
  }
  return h;
}
static uint64_t f42(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 4112119562u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 42) & 7) {
      case 0: h = (h << 4) ^ (h >> 9) ^ p[i] * 49u; break;
      case 1: h = (h << 5) ^ (h >> 12) ^ p[i] * 80u; break;
      case 2: h = (h << 6) ^ (h >> 15) ^ p[i] * 111u; break;
      case 3: h = (h << 7) ^ (h >> 1) ^ p[i] * 142u; break;
      case 4: h = (h << 8) ^ (h >> 4) ^ p[i] * 173u; break;
      case 5: h = (h << 9) ^ (h >> 7) ^ p[i] * 204u; break;
      case 6: h = (h << 10) ^ (h >> 10) ^ p[i] * 235u; break;
      case 7: h = (h << 11) ^ (h >> 13) ^ p[i] * 266u; break;
    }
  }
  return h;
}
static uint64_t f43(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2471588027u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 43) & 7) {
      case 0: h = (h << 5) ^ (h >> 10) ^ p[i] * 50u; break;
      case 1: h = (h << 6) ^ (h >> 13) ^ p[i] * 81u; break;
      case 2: h = (h << 7) ^ (h >> 16) ^ p[i] * 112u; break;
      case 3: h = (h << 8) ^ (h >> 2) ^ p[i] * 143u; break;
      case 4: h = (h << 9) ^ (h >> 5) ^ p[i] * 174u; break;
      case 5: h = (h << 10) ^ (h >> 8) ^ p[i] * 205u; break;
      case 6: h = (h << 11) ^ (h >> 11) ^ p[i] * 236u; break;
      case 7: h = (h << 12) ^ (h >> 14) ^ p[i] * 267u; break;
    }
  }
  return h;
}
static uint64_t f44(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 831056492u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 44) & 7) {
      case 0: h = (h << 6) ^ (h >> 11) ^ p[i] * 51u; break;
      case 1: h = (h << 7) ^ (h >> 14) ^ p[i] * 82u; break;
      case 2: h = (h << 8) ^ (h >> 17) ^ p[i] * 113u; break;
      case 3: h = (h << 9) ^ (h >> 3) ^ p[i] * 144u; break;
      case 4: h = (h << 10) ^ (h >> 6) ^ p[i] * 175u; break;
      case 5: h = (h << 11) ^ (h >> 9) ^ p[i] * 206u; break;
      case 6: h = (h << 12) ^ (h >> 12) ^ p[i] * 237u; break;
      case 7: h = (h << 13) ^ (h >> 15) ^ p[i] * 268u; break;
    }
  }
  return h;
}
static uint64_t f45(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3485492253u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 45) & 7) {
      case 0: h = (h << 7) ^ (h >> 12) ^ p[i] * 52u; break;
      case 1: h = (h << 8) ^ (h >> 15) ^ p[i] * 83u; break;
      case 2: h = (h << 9) ^ (h >> 1) ^ p[i] * 114u; break;
      case 3: h = (h << 10) ^ (h >> 4) ^ p[i] * 145u; break;
      case 4: h = (h << 11) ^ (h >> 7) ^ p[i] * 176u; break;
      case 5: h = (h << 12) ^ (h >> 10) ^ p[i] * 207u; break;
      case 6: h = (h << 13) ^ (h >> 13) ^ p[i] * 238u; break;
      case 7: h = (h << 1) ^ (h >> 16) ^ p[i] * 269u; break;
    }
  }
  return h;
}
static uint64_t f46(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1844960718u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 46) & 7) {
      case 0: h = (h << 8) ^ (h >> 13) ^ p[i] * 53u; break;
      case 1: h = (h << 9) ^ (h >> 16) ^ p[i] * 84u; break;
      case 2: h = (h << 10) ^ (h >> 2) ^ p[i] * 115u; break;
      case 3: h = (h << 11) ^ (h >> 5) ^ p[i] * 146u; break;
      case 4: h = (h << 12) ^ (h >> 8) ^ p[i] * 177u; break;
      case 5: h = (h << 13) ^ (h >> 11) ^ p[i] * 208u; break;
      case 6: h = (h << 1) ^ (h >> 14) ^ p[i] * 239u; break;
      case 7: h = (h << 2) ^ (h >> 17) ^ p[i] * 270u; break;
    }
  }
  return h;
}
static uint64_t f47(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 204429183u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 47) & 7) {
      case 0: h = (h << 9) ^ (h >> 14) ^ p[i] * 54u; break;
      case 1: h = (h << 10) ^ (h >> 17) ^ p[i] * 85u; break;
      case 2: h = (h << 11) ^ (h >> 3) ^ p[i] * 116u; break;
      case 3: h = (h << 12) ^ (h >> 6) ^ p[i] * 147u; break;
      case 4: h = (h << 13) ^ (h >> 9) ^ p[i] * 178u; break;
      case 5: h = (h << 1) ^ (h >> 12) ^ p[i] * 209u; break;
      case 6: h = (h << 2) ^ (h >> 15) ^ p[i] * 240u; break;
      case 7: h = (h << 3) ^ (h >> 1) ^ p[i] * 271u; break;
    }
  }
  return h;
}
static uint64_t f48(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2858864944u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 48) & 7) {
      case 0: h = (h << 10) ^ (h >> 15) ^ p[i] * 55u; break;
      case 1: h = (h << 11) ^ (h >> 1) ^ p[i] * 86u; break;
      case 2: h = (h << 12) ^ (h >> 4) ^ p[i] * 117u; break;
      case 3: h = (h << 13) ^ (h >> 7) ^ p[i] * 148u; break;
      case 4: h = (h << 1) ^ (h >> 10) ^ p[i] * 179u; break;
      case 5: h = (h << 2) ^ (h >> 13) ^ p[i] * 210u; break;
      case 6: h = (h << 3) ^ (h >> 16) ^ p[i] * 241u; break;
      case 7: h = (h << 4) ^ (h >> 2) ^ p[i] * 272u; break;
    }
  }
  return h;
}
static uint64_t f49(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1218333409u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 49) & 7) {
      case 0: h = (h << 11) ^ (h >> 16) ^ p[i] * 56u; break;
      case 1: h = (h << 12) ^ (h >> 2) ^ p[i] * 87u; break;
      case 2: h = (h << 13) ^ (h >> 5) ^ p[i] * 118u; break;
      case 3: h = (h << 1) ^ (h >> 8) ^ p[i] * 149u; break;
      case 4: h = (h << 2) ^ (h >> 11) ^ p[i] * 180u; break;
      case 5: h = (h << 3) ^ (h >> 14) ^ p[i] * 211u; break;
      case 6: h = (h << 4) ^ (h >> 17) ^ p[i] * 242u; break;
      case 7: h = (h << 5) ^ (h >> 3) ^ p[i] * 273u; break;
    }
  }
  return h;
}
static uint64_t f50(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3872769170u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 50) & 7) {
      case 0: h = (h << 12) ^ (h >> 17) ^ p[i] * 57u; break;
      case 1: h = (h << 13) ^ (h >> 3) ^ p[i] * 88u; break;
      case 2: h = (h << 1) ^ (h >> 6) ^ p[i] * 119u; break;
      case 3: h = (h << 2) ^ (h >> 9) ^ p[i] * 150u; break;
      case 4: h = (h << 3) ^ (h >> 12) ^ p[i] * 181u; break;
      case 5: h = (h << 4) ^ (h >> 15) ^ p[i] * 212u; break;
      case 6: h = (h << 5) ^ (h >> 1) ^ p[i] * 243u; break;
      case 7: h = (h << 6) ^ (h >> 4) ^ p[i] * 274u; break;
    }
  }
  return h;
}
static uint64_t f51(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2232237635u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 51) & 7) {
      case 0: h = (h << 13) ^ (h >> 1) ^ p[i] * 58u; break;
      case 1: h = (h << 1) ^ (h >> 4) ^ p[i] * 89u; break;
      case 2: h = (h << 2) ^ (h >> 7) ^ p[i] * 120u; break;
      case 3: h = (h << 3) ^ (h >> 10) ^ p[i] * 151u; break;
      case 4: h = (h << 4) ^ (h >> 13) ^ p[i] * 182u; break;
      case 5: h = (h << 5) ^ (h >> 16) ^ p[i] * 213u; break;
      case 6: h = (h << 6) ^ (h >> 2) ^ p[i] * 244u; break;
      case 7: h = (h << 7) ^ (h >> 5) ^ p[i] * 275u; break;
    }
  }
  return h;
}
static uint64_t f52(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 591706100u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 52) & 7) {
      case 0: h = (h << 1) ^ (h >> 2) ^ p[i] * 59u; break;
      case 1: h = (h << 2) ^ (h >> 5) ^ p[i] * 90u; break;
      case 2: h = (h << 3) ^ (h >> 8) ^ p[i] * 121u; break;
      case 3: h = (h << 4) ^ (h >> 11) ^ p[i] * 152u; break;
      case 4: h = (h << 5) ^ (h >> 14) ^ p[i] * 183u; break;
      case 5: h = (h << 6) ^ (h >> 17) ^ p[i] * 214u; break;
      case 6: h = (h << 7) ^ (h >> 3) ^ p[i] * 245u; break;
      case 7: h = (h << 8) ^ (h >> 6) ^ p[i] * 276u; break;
    }
  }
  return h;
}
static uint64_t f53(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3246141861u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 53) & 7) {
      case 0: h = (h << 2) ^ (h >> 3) ^ p[i] * 60u; break;
      case 1: h = (h << 3) ^ (h >> 6) ^ p[i] * 91u; break;
      case 2: h = (h << 4) ^ (h >> 9) ^ p[i] * 122u; break;
      case 3: h = (h << 5) ^ (h >> 12) ^ p[i] * 153u; break;
      case 4: h = (h << 6) ^ (h >> 15) ^ p[i] * 184u; break;
      case 5: h = (h << 7) ^ (h >> 1) ^ p[i] * 215u; break;
      case 6: h = (h << 8) ^ (h >> 4) ^ p[i] * 246u; break;
      case 7: h = (h << 9) ^ (h >> 7) ^ p[i] * 277u; break;
    }
  }
  return h;
}
static uint64_t f54(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1605610326u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 54) & 7) {
      case 0: h = (h << 3) ^ (h >> 4) ^ p[i] * 61u; break;
      case 1: h = (h << 4) ^ (h >> 7) ^ p[i] * 92u; break;
      case 2: h = (h << 5) ^ (h >> 10) ^ p[i] * 123u; break;
      case 3: h = (h << 6) ^ (h >> 13) ^ p[i] * 154u; break;
      case 4: h = (h << 7) ^ (h >> 16) ^ p[i] * 185u; break;
      case 5: h = (h << 8) ^ (h >> 2) ^ p[i] * 216u; break;
      case 6: h = (h << 9) ^ (h >> 5) ^ p[i] * 247u; break;
      case 7: h = (h << 10) ^ (h >> 8) ^ p[i] * 278u; break;
    }
  }
  return h;
}
static uint64_t f55(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 4260046087u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 55) & 7) {
      case 0: h = (h << 4) ^ (h >> 5) ^ p[i] * 62u; break;
      case 1: h = (h << 5) ^ (h >> 8) ^ p[i] * 93u; break;
      case 2: h = (h << 6) ^ (h >> 11) ^ p[i] * 124u; break;
      case 3: h = (h << 7) ^ (h >> 14) ^ p[i] * 155u; break;
      case 4: h = (h << 8) ^ (h >> 17) ^ p[i] * 186u; break;
      case 5: h = (h << 9) ^ (h >> 3) ^ p[i] * 217u; break;
      case 6: h = (h << 10) ^ (h >> 6) ^ p[i] * 248u; break;
      case 7: h = (h << 11) ^ (h >> 9) ^ p[i] * 279u; break;
    }
  }
  return h;
}
static uint64_t f56(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2619514552u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 56) & 7) {
      case 0: h = (h << 5) ^ (h >> 6) ^ p[i] * 63u; break;
      case 1: h = (h << 6) ^ (h >> 9) ^ p[i] * 94u; break;
      case 2: h = (h << 7) ^ (h >> 12) ^ p[i] * 125u; break;
      case 3: h = (h << 8) ^ (h >> 15) ^ p[i] * 156u; break;
      case 4: h = (h << 9) ^ (h >> 1) ^ p[i] * 187u; break;
      case 5: h = (h << 10) ^ (h >> 4) ^ p[i] * 218u; break;
      case 6: h = (h << 11) ^ (h >> 7) ^ p[i] * 249u; break;
      case 7: h = (h << 12) ^ (h >> 10) ^ p[i] * 280u; break;
    }
  }
  return h;
}
static uint64_t f57(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 978983017u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 57) & 7) {
      case 0: h = (h << 6) ^ (h >> 7) ^ p[i] * 64u; break;
      case 1: h = (h << 7) ^ (h >> 10) ^ p[i] * 95u; break;
      case 2: h = (h << 8) ^ (h >> 13) ^ p[i] * 126u; break;
      case 3: h = (h << 9) ^ (h >> 16) ^ p[i] * 157u; break;
      case 4: h = (h << 10) ^ (h >> 2) ^ p[i] * 188u; break;
      case 5: h = (h << 11) ^ (h >> 5) ^ p[i] * 219u; break;
      case 6: h = (h << 12) ^ (h >> 8) ^ p[i] * 250u; break;
      case 7: h = (h << 13) ^ (h >> 11) ^ p[i] * 281u; break;
    }
  }
  return h;
}
static uint64_t f58(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3633418778u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 58) & 7) {
      case 0: h = (h << 7) ^ (h >> 8) ^ p[i] * 65u; break;
      case 1: h = (h << 8) ^ (h >> 11) ^ p[i] * 96u; break;
      case 2: h = (h << 9) ^ (h >> 14) ^ p[i] * 127u; break;
      case 3: h = (h << 10) ^ (h >> 17) ^ p[i] * 158u; break;
      case 4: h = (h << 11) ^ (h >> 3) ^ p[i] * 189u; break;
      case 5: h = (h << 12) ^ (h >> 6) ^ p[i] * 220u; break;
      case 6: h = (h << 13) ^ (h >> 9) ^ p[i] * 251u; break;
      case 7: h = (h << 1) ^ (h >> 12) ^ p[i] * 282u; break;
    }
  }
  return h;
}
static uint64_t f59(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1992887243u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 59) & 7) {
      case 0: h = (h << 8) ^ (h >> 9) ^ p[i] * 66u; break;
      case 1: h = (h << 9) ^ (h >> 12) ^ p[i] * 97u; break;
      case 2: h = (h << 10) ^ (h >> 15) ^ p[i] * 128u; break;
      case 3: h = (h << 11) ^ (h >> 1) ^ p[i] * 159u; break;
      case 4: h = (h << 12) ^ (h >> 4) ^ p[i] * 190u; break;
      case 5: h = (h << 13) ^ (h >> 7) ^ p[i] * 221u; break;
      case 6: h = (h << 1) ^ (h >> 10) ^ p[i] * 252u; break;
      case 7: h = (h << 2) ^ (h >> 13) ^ p[i] * 283u; break;
    }
  }
  return h;
}
static uint64_t f60(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 352355708u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 60) & 7) {
      case 0: h = (h << 9) ^ (h >> 10) ^ p[i] * 67u; break;
      case 1: h = (h << 10) ^ (h >> 13) ^ p[i] * 98u; break;
      case 2: h = (h << 11) ^ (h >> 16) ^ p[i] * 129u; break;
      case 3: h = (h << 12) ^ (h >> 2) ^ p[i] * 160u; break;
      case 4: h = (h << 13) ^ (h >> 5) ^ p[i] * 191u; break;
      case 5: h = (h << 1) ^ (h >> 8) ^ p[i] * 222u; break;
      case 6: h = (h << 2) ^ (h >> 11) ^ p[i] * 253u; break;
      case 7: h = (h << 3) ^ (h >> 14) ^ p[i] * 284u; break;
    }
  }
  return h;
}
static uint64_t f61(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3006791469u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 61) & 7) {
      case 0: h = (h << 10) ^ (h >> 11) ^ p[i] * 68u; break;
      case 1: h = (h << 11) ^ (h >> 14) ^ p[i] * 99u; break;
      case 2: h = (h << 12) ^ (h >> 17) ^ p[i] * 130u; break;
      case 3: h = (h << 13) ^ (h >> 3) ^ p[i] * 161u; break;
      case 4: h = (h << 1) ^ (h >> 6) ^ p[i] * 192u; break;
      case 5: h = (h << 2) ^ (h >> 9) ^ p[i] * 223u; break;
      case 6: h = (h << 3) ^ (h >> 12) ^ p[i] * 254u; break;
      case 7: h = (h << 4) ^ (h >> 15) ^ p[i] * 285u; break;
    }
  }
  return h;
}
static uint64_t f62(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1366259934u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 62) & 7) {
      case 0: h = (h << 11) ^ (h >> 12) ^ p[i] * 69u; break;
      case 1: h = (h << 12) ^ (h >> 15) ^ p[i] * 100u; break;
      case 2: h = (h << 13) ^ (h >> 1) ^ p[i] * 131u; break;
      case 3: h = (h << 1) ^ (h >> 4) ^ p[i] * 162u; break;
      case 4: h = (h << 2) ^ (h >> 7) ^ p[i] * 193u; break;
      case 5: h = (h << 3) ^ (h >> 10) ^ p[i] * 224u; break;
      case 6: h = (h << 4) ^ (h >> 13) ^ p[i] * 255u; break;
      case 7: h = (h << 5) ^ (h >> 16) ^ p[i] * 286u; break;
    }
  }
  return h;
}
static uint64_t f63(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 4020695695u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 63) & 7) {
      case 0: h = (h << 12) ^ (h >> 13) ^ p[i] * 70u; break;
      case 1: h = (h << 13) ^ (h >> 16) ^ p[i] * 101u; break;
      case 2: h = (h << 1) ^ (h >> 2) ^ p[i] * 132u; break;
      case 3: h = (h << 2) ^ (h >> 5) ^ p[i] * 163u; break;
      case 4: h = (h << 3) ^ (h >> 8) ^ p[i] * 194u; break;
      case 5: h = (h << 4) ^ (h >> 11) ^ p[i] * 225u; break;
      case 6: h = (h << 5) ^ (h >> 14) ^ p[i] * 256u; break;
      case 7: h = (h << 6) ^ (h >> 17) ^ p[i] * 287u; break;
    }
  }
  return h;
}
static uint64_t f64(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2380164160u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 64) & 7) {
      case 0: h = (h << 13) ^ (h >> 14) ^ p[i] * 71u; break;
      case 1: h = (h << 1) ^ (h >> 17) ^ p[i] * 102u; break;
      case 2: h = (h << 2) ^ (h >> 3) ^ p[i] * 133u; break;
      case 3: h = (h << 3) ^ (h >> 6) ^ p[i] * 164u; break;
      case 4: h = (h << 4) ^ (h >> 9) ^ p[i] * 195u; break;
      case 5: h = (h << 5) ^ (h >> 12) ^ p[i] * 226u; break;
      case 6: h = (h << 6) ^ (h >> 15) ^ p[i] * 257u; break;
      case 7: h = (h << 7) ^ (h >> 1) ^ p[i] * 288u; break;
    }
  }
  return h;
}
static uint64_t f65(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 739632625u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 65) & 7) {
      case 0: h = (h << 1) ^ (h >> 15) ^ p[i] * 72u; break;
      case 1: h = (h << 2) ^ (h >> 1) ^ p[i] * 103u; break;
      case 2: h = (h << 3) ^ (h >> 4) ^ p[i] * 134u; break;
      case 3: h = (h << 4) ^ (h >> 7) ^ p[i] * 165u; break;
      case 4: h = (h << 5) ^ (h >> 10) ^ p[i] * 196u; break;
      case 5: h = (h << 6) ^ (h >> 13) ^ p[i] * 227u; break;
      case 6: h = (h << 7) ^ (h >> 16) ^ p[i] * 258u; break;
      case 7: h = (h << 8) ^ (h >> 2) ^ p[i] * 289u; break;
    }
  }
  return h;
}
static uint64_t f66(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3394068386u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 66) & 7) {
      case 0: h = (h << 2) ^ (h >> 16) ^ p[i] * 73u; break;
      case 1: h = (h << 3) ^ (h >> 2) ^ p[i] * 104u; break;
      case 2: h = (h << 4) ^ (h >> 5) ^ p[i] * 135u; break;
      case 3: h = (h << 5) ^ (h >> 8) ^ p[i] * 166u; break;
      case 4: h = (h << 6) ^ (h >> 11) ^ p[i] * 197u; break;
      case 5: h = (h << 7) ^ (h >> 14) ^ p[i] * 228u; break;
      case 6: h = (h << 8) ^ (h >> 17) ^ p[i] * 259u; break;
      case 7: h = (h << 9) ^ (h >> 3) ^ p[i] * 290u; break;
    }
  }
  return h;
}
static uint64_t f67(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1753536851u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 67) & 7) {
      case 0: h = (h << 3) ^ (h >> 17) ^ p[i] * 74u; break;
      case 1: h = (h << 4) ^ (h >> 3) ^ p[i] * 105u; break;
      case 2: h = (h << 5) ^ (h >> 6) ^ p[i] * 136u; break;
      case 3: h = (h << 6) ^ (h >> 9) ^ p[i] * 167u; break;
      case 4: h = (h << 7) ^ (h >> 12) ^ p[i] * 198u; break;
      case 5: h = (h << 8) ^ (h >> 15) ^ p[i] * 229u; break;
      case 6: h = (h << 9) ^ (h >> 1) ^ p[i] * 260u; break;
      case 7: h = (h << 10) ^ (h >> 4) ^ p[i] * 291u; break;
    }
  }
  return h;
}
static uint64_t f68(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 113005316u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 68) & 7) {
      case 0: h = (h << 4) ^ (h >> 1) ^ p[i] * 75u; break;
      case 1: h = (h << 5) ^ (h >> 4) ^ p[i] * 106u; break;
      case 2: h = (h << 6) ^ (h >> 7) ^ p[i] * 137u; break;
      case 3: h = (h << 7) ^ (h >> 10) ^ p[i] * 168u; break;
      case 4: h = (h << 8) ^ (h >> 13) ^ p[i] * 199u; break;
      case 5: h = (h << 9) ^ (h >> 16) ^ p[i] * 230u; break;
      case 6: h = (h << 10) ^ (h >> 2) ^ p[i] * 261u; break;
      case 7: h = (h << 11) ^ (h >> 5) ^ p[i] * 292u; break;
    }
  }
  return h;
}
static uint64_t f69(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2767441077u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 69) & 7) {
      case 0: h = (h << 5) ^ (h >> 2) ^ p[i] * 76u; break;
      case 1: h = (h << 6) ^ (h >> 5) ^ p[i] * 107u; break;
      case 2: h = (h << 7) ^ (h >> 8) ^ p[i] * 138u; break;
      case 3: h = (h << 8) ^ (h >> 11) ^ p[i] * 169u; break;
      case 4: h = (h << 9) ^ (h >> 14) ^ p[i] * 200u; break;
      case 5: h = (h << 10) ^ (h >> 17) ^ p[i] * 231u; break;
      case 6: h = (h << 11) ^ (h >> 3) ^ p[i] * 262u; break;
      case 7: h = (h << 12) ^ (h >> 6) ^ p[i] * 293u; break;
    }
  }
  return h;
}
static uint64_t f70(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1126909542u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 70) & 7) {
      case 0: h = (h << 6) ^ (h >> 3) ^ p[i] * 77u; break;
      case 1: h = (h << 7) ^ (h >> 6) ^ p[i] * 108u; break;
      case 2: h = (h << 8) ^ (h >> 9) ^ p[i] * 139u; break;
      case 3: h = (h << 9) ^ (h >> 12) ^ p[i] * 170u; break;
      case 4: h = (h << 10) ^ (h >> 15) ^ p[i] * 201u; break;
      case 5: h = (h << 11) ^ (h >> 1) ^ p[i] * 232u; break;
      case 6: h = (h << 12) ^ (h >> 4) ^ p[i] * 263u; break;
      case 7: h = (h << 13) ^ (h >> 7) ^ p[i] * 294u; break;
    }
  }
  return h;
}
static uint64_t f71(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3781345303u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 71) & 7) {
      case 0: h = (h << 7) ^ (h >> 4) ^ p[i] * 78u; break;
      case 1: h = (h << 8) ^ (h >> 7) ^ p[i] * 109u; break;
      case 2: h = (h << 9) ^ (h >> 10) ^ p[i] * 140u; break;
      case 3: h = (h << 10) ^ (h >> 13) ^ p[i] * 171u; break;
      case 4: h = (h << 11) ^ (h >> 16) ^ p[i] * 202u; break;
      case 5: h = (h << 12) ^ (h >> 2) ^ p[i] * 233u; break;
      case 6: h = (h << 13) ^ (h >> 5) ^ p[i] * 264u; break;
      case 7: h = (h << 1) ^ (h >> 8) ^ p[i] * 295u; break;
    }
  }
  return h;
}
static uint64_t f72(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2140813768u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 72) & 7) {
      case 0: h = (h << 8) ^ (h >> 5) ^ p[i] * 79u; break;
      case 1: h = (h << 9) ^ (h >> 8) ^ p[i] * 110u; break;
      case 2: h = (h << 10) ^ (h >> 11) ^ p[i] * 141u; break;
      case 3: h = (h << 11) ^ (h >> 14) ^ p[i] * 172u; break;
      case 4: h = (h << 12) ^ (h >> 17) ^ p[i] * 203u; break;
      case 5: h = (h << 13) ^ (h >> 3) ^ p[i] * 234u; break;
      case 6: h = (h << 1) ^ (h >> 6) ^ p[i] * 265u; break;
      case 7: h = (h << 2) ^ (h >> 9) ^ p[i] * 296u; break;
    }
  }
  return h;
}
static uint64_t f73(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 500282233u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 73) & 7) {
      case 0: h = (h << 9) ^ (h >> 6) ^ p[i] * 80u; break;
      case 1: h = (h << 10) ^ (h >> 9) ^ p[i] * 111u; break;
      case 2: h = (h << 11) ^ (h >> 12) ^ p[i] * 142u; break;
      case 3: h = (h << 12) ^ (h >> 15) ^ p[i] * 173u; break;
      case 4: h = (h << 13) ^ (h >> 1) ^ p[i] * 204u; break;
      case 5: h = (h << 1) ^ (h >> 4) ^ p[i] * 235u; break;
      case 6: h = (h << 2) ^ (h >> 7) ^ p[i] * 266u; break;
      case 7: h = (h << 3) ^ (h >> 10) ^ p[i] * 297u; break;
    }
  }
  return h;
}
static uint64_t f74(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3154717994u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 74) & 7) {
      case 0: h = (h << 10) ^ (h >> 7) ^ p[i] * 81u; break;
      case 1: h = (h << 11) ^ (h >> 10) ^ p[i] * 112u; break;
      case 2: h = (h << 12) ^ (h >> 13) ^ p[i] * 143u; break;
      case 3: h = (h << 13) ^ (h >> 16) ^ p[i] * 174u; break;
      case 4: h = (h << 1) ^ (h >> 2) ^ p[i] * 205u; break;
      case 5: h = (h << 2) ^ (h >> 5) ^ p[i] * 236u; break;
      case 6: h = (h << 3) ^ (h >> 8) ^ p[i] * 267u; break;
      case 7: h = (h << 4) ^ (h >> 11) ^ p[i] * 298u; break;
    }
  }
  return h;
}
static uint64_t f75(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1514186459u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 75) & 7) {
      case 0: h = (h << 11) ^ (h >> 8) ^ p[i] * 82u; break;
      case 1: h = (h << 12) ^ (h >> 11) ^ p[i] * 113u; break;
      case 2: h = (h << 13) ^ (h >> 14) ^ p[i] * 144u; break;
      case 3: h = (h << 1) ^ (h >> 17) ^ p[i] * 175u; break;
      case 4: h = (h << 2) ^ (h >> 3) ^ p[i] * 206u; break;
      case 5: h = (h << 3) ^ (h >> 6) ^ p[i] * 237u; break;
      case 6: h = (h << 4) ^ (h >> 9) ^ p[i] * 268u; break;
      case 7: h = (h << 5) ^ (h >> 12) ^ p[i] * 299u; break;
    }
  }
  return h;
}
static uint64_t f76(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 4168622220u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 76) & 7) {
      case 0: h = (h << 12) ^ (h >> 9) ^ p[i] * 83u; break;
      case 1: h = (h << 13) ^ (h >> 12) ^ p[i] * 114u; break;
      case 2: h = (h << 1) ^ (h >> 15) ^ p[i] * 145u; break;
      case 3: h = (h << 2) ^ (h >> 1) ^ p[i] * 176u; break;
      case 4: h = (h << 3) ^ (h >> 4) ^ p[i] * 207u; break;
      case 5: h = (h << 4) ^ (h >> 7) ^ p[i] * 238u; break;
      case 6: h = (h << 5) ^ (h >> 10) ^ p[i] * 269u; break;
      case 7: h = (h << 6) ^ (h >> 13) ^ p[i] * 300u; break;
    }
  }
  return h;
}
static uint64_t f77(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2528090685u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 77) & 7) {
      case 0: h = (h << 13) ^ (h >> 10) ^ p[i] * 84u; break;
      case 1: h = (h << 1) ^ (h >> 13) ^ p[i] * 115u; break;
      case 2: h = (h << 2) ^ (h >> 16) ^ p[i] * 146u; break;
      case 3: h = (h << 3) ^ (h >> 2) ^ p[i] * 177u; break;
      case 4: h = (h << 4) ^ (h >> 5) ^ p[i] * 208u; break;
      case 5: h = (h << 5) ^ (h >> 8) ^ p[i] * 239u; break;
      case 6: h = (h << 6) ^ (h >> 11) ^ p[i] * 270u; break;
      case 7: h = (h << 7) ^ (h >> 14) ^ p[i] * 301u; break;
    }
  }
  return h;
}
static uint64_t f78(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 887559150u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 78) & 7) {
      case 0: h = (h << 1) ^ (h >> 11) ^ p[i] * 85u; break;
      case 1: h = (h << 2) ^ (h >> 14) ^ p[i] * 116u; break;
      case 2: h = (h << 3) ^ (h >> 17) ^ p[i] * 147u; break;
      case 3: h = (h << 4) ^ (h >> 3) ^ p[i] * 178u; break;
      case 4: h = (h << 5) ^ (h >> 6) ^ p[i] * 209u; break;
      case 5: h = (h << 6) ^ (h >> 9) ^ p[i] * 240u; break;
      case 6: h = (h << 7) ^ (h >> 12) ^ p[i] * 271u; break;
      case 7: h = (h << 8) ^ (h >> 15) ^ p[i] * 302u; break;
    }
  }
  return h;
}
static uint64_t f79(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3541994911u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 79) & 7) {
      case 0: h = (h << 2) ^ (h >> 12) ^ p[i] * 86u; break;
      case 1: h = (h << 3) ^ (h >> 15) ^ p[i] * 117u; break;
      case 2: h = (h << 4) ^ (h >> 1) ^ p[i] * 148u; break;
      case 3: h = (h << 5) ^ (h >> 4) ^ p[i] * 179u; break;
      case 4: h = (h << 6) ^ (h >> 7) ^ p[i] * 210u; break;
      case 5: h = (h << 7) ^ (h >> 10) ^ p[i] * 241u; break;
      case 6: h = (h << 8) ^ (h >> 13) ^ p[i] * 272u; break;
      case 7: h = (h << 9) ^ (h >> 16) ^ p[i] * 303u; break;
    }
  }
  return h;
}
static uint64_t f80(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1901463376u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 80) & 7) {
      case 0: h = (h << 3) ^ (h >> 13) ^ p[i] * 87u; break;
      case 1: h = (h << 4) ^ (h >> 16) ^ p[i] * 118u; break;
      case 2: h = (h << 5) ^ (h >> 2) ^ p[i] * 149u; break;
      case 3: h = (h << 6) ^ (h >> 5) ^ p[i] * 180u; break;
      case 4: h = (h << 7) ^ (h >> 8) ^ p[i] * 211u; break;
      case 5: h = (h << 8) ^ (h >> 11) ^ p[i] * 242u; break;
      case 6: h = (h << 9) ^ (h >> 14) ^ p[i] * 273u; break;
      case 7: h = (h << 10) ^ (h >> 17) ^ p[i] * 304u; break;
    }
  }
  return h;
}
static uint64_t f81(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 260931841u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 81) & 7) {
      case 0: h = (h << 4) ^ (h >> 14) ^ p[i] * 88u; break;
      case 1: h = (h << 5) ^ (h >> 17) ^ p[i] * 119u; break;
      case 2: h = (h << 6) ^ (h >> 3) ^ p[i] * 150u; break;
      case 3: h = (h << 7) ^ (h >> 6) ^ p[i] * 181u; break;
      case 4: h = (h << 8) ^ (h >> 9) ^ p[i] * 212u; break;
      case 5: h = (h << 9) ^ (h >> 12) ^ p[i] * 243u; break;
      case 6: h = (h << 10) ^ (h >> 15) ^ p[i] * 274u; break;
      case 7: h = (h << 11) ^ (h >> 1) ^ p[i] * 305u; break;
    }
  }
  return h;
}
static uint64_t f82(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2915367602u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 82) & 7) {
      case 0: h = (h << 5) ^ (h >> 15) ^ p[i] * 89u; break;
      case 1: h = (h << 6) ^ (h >> 1) ^ p[i] * 120u; break;
      case 2: h = (h << 7) ^ (h >> 4) ^ p[i] * 151u; break;
      case 3: h = (h << 8) ^ (h >> 7) ^ p[i] * 182u; break;
      case 4: h = (h << 9) ^ (h >> 10) ^ p[i] * 213u; break;
      case 5: h = (h << 10) ^ (h >> 13) ^ p[i] * 244u; break;
      case 6: h = (h << 11) ^ (h >> 16) ^ p[i] * 275u; break;
      case 7: h = (h << 12) ^ (h >> 2) ^ p[i] * 306u; break;
    }
  }
  return h;
}
static uint64_t f83(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1274836067u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 83) & 7) {
      case 0: h = (h << 6) ^ (h >> 16) ^ p[i] * 90u; break;
      case 1: h = (h << 7) ^ (h >> 2) ^ p[i] * 121u; break;
      case 2: h = (h << 8) ^ (h >> 5) ^ p[i] * 152u; break;
      case 3: h = (h << 9) ^ (h >> 8) ^ p[i] * 183u; break;
      case 4: h = (h << 10) ^ (h >> 11) ^ p[i] * 214u; break;
      case 5: h = (h << 11) ^ (h >> 14) ^ p[i] * 245u; break;
      case 6: h = (h << 12) ^ (h >> 17) ^ p[i] * 276u; break;
      case 7: h = (h << 13) ^ (h >> 3) ^ p[i] * 307u; break;
    }
  }
  return h;
}
static uint64_t f84(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3929271828u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 84) & 7) {
      case 0: h = (h << 7) ^ (h >> 17) ^ p[i] * 91u; break;
      case 1: h = (h << 8) ^ (h >> 3) ^ p[i] * 122u; break;
      case 2: h = (h << 9) ^ (h >> 6) ^ p[i] * 153u; break;
      case 3: h = (h << 10) ^ (h >> 9) ^ p[i] * 184u; break;
      case 4: h = (h << 11) ^ (h >> 12) ^ p[i] * 215u; break;
      case 5: h = (h << 12) ^ (h >> 15) ^ p[i] * 246u; break;
      case 6: h = (h << 13) ^ (h >> 1) ^ p[i] * 277u; break;
      case 7: h = (h << 1) ^ (h >> 4) ^ p[i] * 308u; break;
    }
  }
  return h;
}
static uint64_t f85(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2288740293u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 85) & 7) {
      case 0: h = (h << 8) ^ (h >> 1) ^ p[i] * 92u; break;
      case 1: h = (h << 9) ^ (h >> 4) ^ p[i] * 123u; break;
      case 2: h = (h << 10) ^ (h >> 7) ^ p[i] * 154u; break;
      case 3: h = (h << 11) ^ (h >> 10) ^ p[i] * 185u; break;
      case 4: h = (h << 12) ^ (h >> 13) ^ p[i] * 216u; break;
      case 5: h = (h << 13) ^ (h >> 16) ^ p[i] * 247u; break;
      case 6: h = (h << 1) ^ (h >> 2) ^ p[i] * 278u; break;
      case 7: h = (h << 2) ^ (h >> 5) ^ p[i] * 309u; break;
    }
  }
  return h;
}
static uint64_t f86(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 648208758u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 86) & 7) {
      case 0: h = (h << 9) ^ (h >> 2) ^ p[i] * 93u; break;
      case 1: h = (h << 10) ^ (h >> 5) ^ p[i] * 124u; break;
      case 2: h = (h << 11) ^ (h >> 8) ^ p[i] * 155u; break;
      case 3: h = (h << 12) ^ (h >> 11) ^ p[i] * 186u; break;
      case 4: h = (h << 13) ^ (h >> 14) ^ p[i] * 217u; break;
      case 5: h = (h << 1) ^ (h >> 17) ^ p[i] * 248u; break;
      case 6: h = (h << 2) ^ (h >> 3) ^ p[i] * 279u; break;
      case 7: h = (h << 3) ^ (h >> 6) ^ p[i] * 310u; break;
    }
  }
  return h;
}
static uint64_t f87(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3302644519u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 87) & 7) {
      case 0: h = (h << 10) ^ (h >> 3) ^ p[i] * 94u; break;
      case 1: h = (h << 11) ^ (h >> 6) ^ p[i] * 125u; break;
      case 2: h = (h << 12) ^ (h >> 9) ^ p[i] * 156u; break;
      case 3: h = (h << 13) ^ (h >> 12) ^ p[i] * 187u; break;
      case 4: h = (h << 1) ^ (h >> 15) ^ p[i] * 218u; break;
      case 5: h = (h << 2) ^ (h >> 1) ^ p[i] * 249u; break;
      case 6: h = (h << 3) ^ (h >> 4) ^ p[i] * 280u; break;
      case 7: h = (h << 4) ^ (h >> 7) ^ p[i] * 311u; break;
    }
  }
  return h;
}
static uint64_t f88(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1662112984u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 88) & 7) {
      case 0: h = (h << 11) ^ (h >> 4) ^ p[i] * 95u; break;
      case 1: h = (h << 12) ^ (h >> 7) ^ p[i] * 126u; break;
      case 2: h = (h << 13) ^ (h >> 10) ^ p[i] * 157u; break;
      case 3: h = (h << 1) ^ (h >> 13) ^ p[i] * 188u; break;
      case 4: h = (h << 2) ^ (h >> 16) ^ p[i] * 219u; break;
      case 5: h = (h << 3) ^ (h >> 2) ^ p[i] * 250u; break;
      case 6: h = (h << 4) ^ (h >> 5) ^ p[i] * 281u; break;
      case 7: h = (h << 5) ^ (h >> 8) ^ p[i] * 312u; break;
    }
  }
  return h;
}
static uint64_t f89(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 21581449u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 89) & 7) {
      case 0: h = (h << 12) ^ (h >> 5) ^ p[i] * 96u; break;
      case 1: h = (h << 13) ^ (h >> 8) ^ p[i] * 127u; break;
      case 2: h = (h << 1) ^ (h >> 11) ^ p[i] * 158u; break;
      case 3: h = (h << 2) ^ (h >> 14) ^ p[i] * 189u; break;
      case 4: h = (h << 3) ^ (h >> 17) ^ p[i] * 220u; break;
      case 5: h = (h << 4) ^ (h >> 3) ^ p[i] * 251u; break;
      case 6: h = (h << 5) ^ (h >> 6) ^ p[i] * 282u; break;
      case 7: h = (h << 6) ^ (h >> 9) ^ p[i] * 313u; break;
    }
  }
  return h;
}
static uint64_t f90(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2676017210u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 90) & 7) {
      case 0: h = (h << 13) ^ (h >> 6) ^ p[i] * 97u; break;
      case 1: h = (h << 1) ^ (h >> 9) ^ p[i] * 128u; break;
      case 2: h = (h << 2) ^ (h >> 12) ^ p[i] * 159u; break;
      case 3: h = (h << 3) ^ (h >> 15) ^ p[i] * 190u; break;
      case 4: h = (h << 4) ^ (h >> 1) ^ p[i] * 221u; break;
      case 5: h = (h << 5) ^ (h >> 4) ^ p[i] * 252u; break;
      case 6: h = (h << 6) ^ (h >> 7) ^ p[i] * 283u; break;
      case 7: h = (h << 7) ^ (h >> 10) ^ p[i] * 314u; break;
    }
  }
  return h;
}
static uint64_t f91(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1035485675u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 91) & 7) {
      case 0: h = (h << 1) ^ (h >> 7) ^ p[i] * 98u; break;
      case 1: h = (h << 2) ^ (h >> 10) ^ p[i] * 129u; break;
      case 2: h = (h << 3) ^ (h >> 13) ^ p[i] * 160u; break;
      case 3: h = (h << 4) ^ (h >> 16) ^ p[i] * 191u; break;
      case 4: h = (h << 5) ^ (h >> 2) ^ p[i] * 222u; break;
      case 5: h = (h << 6) ^ (h >> 5) ^ p[i] * 253u; break;
      case 6: h = (h << 7) ^ (h >> 8) ^ p[i] * 284u; break;
      case 7: h = (h << 8) ^ (h >> 11) ^ p[i] * 315u; break;
    }
  }
  return h;
}
static uint64_t f92(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3689921436u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 92) & 7) {
      case 0: h = (h << 2) ^ (h >> 8) ^ p[i] * 99u; break;
      case 1: h = (h << 3) ^ (h >> 11) ^ p[i] * 130u; break;
      case 2: h = (h << 4) ^ (h >> 14) ^ p[i] * 161u; break;
      case 3: h = (h << 5) ^ (h >> 17) ^ p[i] * 192u; break;
      case 4: h = (h << 6) ^ (h >> 3) ^ p[i] * 223u; break;
      case 5: h = (h << 7) ^ (h >> 6) ^ p[i] * 254u; break;
      case 6: h = (h << 8) ^ (h >> 9) ^ p[i] * 285u; break;
      case 7: h = (h << 9) ^ (h >> 12) ^ p[i] * 316u; break;
    }
  }
  return h;
}
static uint64_t f93(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2049389901u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 93) & 7) {
      case 0: h = (h << 3) ^ (h >> 9) ^ p[i] * 100u; break;
      case 1: h = (h << 4) ^ (h >> 12) ^ p[i] * 131u; break;
      case 2: h = (h << 5) ^ (h >> 15) ^ p[i] * 162u; break;
      case 3: h = (h << 6) ^ (h >> 1) ^ p[i] * 193u; break;
      case 4: h = (h << 7) ^ (h >> 4) ^ p[i] * 224u; break;
      case 5: h = (h << 8) ^ (h >> 7) ^ p[i] * 255u; break;
      case 6: h = (h << 9) ^ (h >> 10) ^ p[i] * 286u; break;
      case 7: h = (h << 10) ^ (h >> 13) ^ p[i] * 317u; break;
    }
  }
  return h;
}
static uint64_t f94(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 408858366u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 94) & 7) {
      case 0: h = (h << 4) ^ (h >> 10) ^ p[i] * 101u; break;
      case 1: h = (h << 5) ^ (h >> 13) ^ p[i] * 132u; break;
      case 2: h = (h << 6) ^ (h >> 16) ^ p[i] * 163u; break;
      case 3: h = (h << 7) ^ (h >> 2) ^ p[i] * 194u; break;
      case 4: h = (h << 8) ^ (h >> 5) ^ p[i] * 225u; break;
      case 5: h = (h << 9) ^ (h >> 8) ^ p[i] * 256u; break;
      case 6: h = (h << 10) ^ (h >> 11) ^ p[i] * 287u; break;
      case 7: h = (h << 11) ^ (h >> 14) ^ p[i] * 318u; break;
    }
  }
  return h;
}
static uint64_t f95(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3063294127u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 95) & 7) {
      case 0: h = (h << 5) ^ (h >> 11) ^ p[i] * 102u; break;
      case 1: h = (h << 6) ^ (h >> 14) ^ p[i] * 133u; break;
      case 2: h = (h << 7) ^ (h >> 17) ^ p[i] * 164u; break;
      case 3: h = (h << 8) ^ (h >> 3) ^ p[i] * 195u; break;
      case 4: h = (h << 9) ^ (h >> 6) ^ p[i] * 226u; break;
      case 5: h = (h << 10) ^ (h >> 9) ^ p[i] * 257u; break;
      case 6: h = (h << 11) ^ (h >> 12) ^ p[i] * 288u; break;
      case 7: h = (h << 12) ^ (h >> 15) ^ p[i] * 319u; break;
    }
  }
  return h;
}
static uint64_t f96(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1422762592u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 96) & 7) {
      case 0: h = (h << 6) ^ (h >> 12) ^ p[i] * 103u; break;
      case 1: h = (h << 7) ^ (h >> 15) ^ p[i] * 134u; break;
      case 2: h = (h << 8) ^ (h >> 1) ^ p[i] * 165u; break;
      case 3: h = (h << 9) ^ (h >> 4) ^ p[i] * 196u; break;
      case 4: h = (h << 10) ^ (h >> 7) ^ p[i] * 227u; break;
      case 5: h = (h << 11) ^ (h >> 10) ^ p[i] * 258u; break;
      case 6: h = (h << 12) ^ (h >> 13) ^ p[i] * 289u; break;
      case 7: h = (h << 13) ^ (h >> 16) ^ p[i] * 320u; break;
    }
  }
  return h;
}
static uint64_t f97(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 4077198353u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 97) & 7) {
      case 0: h = (h << 7) ^ (h >> 13) ^ p[i] * 104u; break;
      case 1: h = (h << 8) ^ (h >> 16) ^ p[i] * 135u; break;
      case 2: h = (h << 9) ^ (h >> 2) ^ p[i] * 166u; break;
      case 3: h = (h << 10) ^ (h >> 5) ^ p[i] * 197u; break;
      case 4: h = (h << 11) ^ (h >> 8) ^ p[i] * 228u; break;
      case 5: h = (h << 12) ^ (h >> 11) ^ p[i] * 259u; break;
      case 6: h = (h << 13) ^ (h >> 14) ^ p[i] * 290u; break;
      case 7: h = (h << 1) ^ (h >> 17) ^ p[i] * 321u; break;
    }
  }
  return h;
}
static uint64_t f98(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2436666818u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 98) & 7) {
      case 0: h = (h << 8) ^ (h >> 14) ^ p[i] * 105u; break;
      case 1: h = (h << 9) ^ (h >> 17) ^ p[i] * 136u; break;
      case 2: h = (h << 10) ^ (h >> 3) ^ p[i] * 167u; break;
      case 3: h = (h << 11) ^ (h >> 6) ^ p[i] * 198u; break;
      case 4: h = (h << 12) ^ (h >> 9) ^ p[i] * 229u; break;
      case 5: h = (h << 13) ^ (h >> 12) ^ p[i] * 260u; break;
      case 6: h = (h << 1) ^ (h >> 15) ^ p[i] * 291u; break;
      case 7: h = (h << 2) ^ (h >> 1) ^ p[i] * 322u; break;
    }
  }
  return h;
}
static uint64_t f99(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 796135283u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 99) & 7) {
      case 0: h = (h << 9) ^ (h >> 15) ^ p[i] * 106u; break;
      case 1: h = (h << 10) ^ (h >> 1) ^ p[i] * 137u; break;
      case 2: h = (h << 11) ^ (h >> 4) ^ p[i] * 168u; break;
      case 3: h = (h << 12) ^ (h >> 7) ^ p[i] * 199u; break;
      case 4: h = (h << 13) ^ (h >> 10) ^ p[i] * 230u; break;
      case 5: h = (h << 1) ^ (h >> 13) ^ p[i] * 261u; break;
      case 6: h = (h << 2) ^ (h >> 16) ^ p[i] * 292u; break;
      case 7: h = (h << 3) ^ (h >> 2) ^ p[i] * 323u; break;
    }
  }
  return h;
}
static uint64_t f100(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3450571044u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 100) & 7) {
      case 0: h = (h << 10) ^ (h >> 16) ^ p[i] * 107u; break;
      case 1: h = (h << 11) ^ (h >> 2) ^ p[i] * 138u; break;
      case 2: h = (h << 12) ^ (h >> 5) ^ p[i] * 169u; break;
      case 3: h = (h << 13) ^ (h >> 8) ^ p[i] * 200u; break;
      case 4: h = (h << 1) ^ (h >> 11) ^ p[i] * 231u; break;
      case 5: h = (h << 2) ^ (h >> 14) ^ p[i] * 262u; break;
      case 6: h = (h << 3) ^ (h >> 17) ^ p[i] * 293u; break;
      case 7: h = (h << 4) ^ (h >> 3) ^ p[i] * 324u; break;
    }
  }
  return h;
}
static uint64_t f101(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1810039509u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 101) & 7) {
      case 0: h = (h << 11) ^ (h >> 17) ^ p[i] * 108u; break;
      case 1: h = (h << 12) ^ (h >> 3) ^ p[i] * 139u; break;
      case 2: h = (h << 13) ^ (h >> 6) ^ p[i] * 170u; break;
      case 3: h = (h << 1) ^ (h >> 9) ^ p[i] * 201u; break;
      case 4: h = (h << 2) ^ (h >> 12) ^ p[i] * 232u; break;
      case 5: h = (h << 3) ^ (h >> 15) ^ p[i] * 263u; break;
      case 6: h = (h << 4) ^ (h >> 1) ^ p[i] * 294u; break;
      case 7: h = (h << 5) ^ (h >> 4) ^ p[i] * 325u; break;
    }
  }
  return h;
}
static uint64_t f102(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 169507974u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 102) & 7) {
      case 0: h = (h << 12) ^ (h >> 1) ^ p[i] * 109u; break;
      case 1: h = (h << 13) ^ (h >> 4) ^ p[i] * 140u; break;
      case 2: h = (h << 1) ^ (h >> 7) ^ p[i] * 171u; break;
      case 3: h = (h << 2) ^ (h >> 10) ^ p[i] * 202u; break;
      case 4: h = (h << 3) ^ (h >> 13) ^ p[i] * 233u; break;
      case 5: h = (h << 4) ^ (h >> 16) ^ p[i] * 264u; break;
      case 6: h = (h << 5) ^ (h >> 2) ^ p[i] * 295u; break;
      case 7: h = (h << 6) ^ (h >> 5) ^ p[i] * 326u; break;
    }
  }
  return h;
}
static uint64_t f103(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2823943735u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 103) & 7) {
      case 0: h = (h << 13) ^ (h >> 2) ^ p[i] * 110u; break;
      case 1: h = (h << 1) ^ (h >> 5) ^ p[i] * 141u; break;
      case 2: h = (h << 2) ^ (h >> 8) ^ p[i] * 172u; break;
      case 3: h = (h << 3) ^ (h >> 11) ^ p[i] * 203u; break;
      case 4: h = (h << 4) ^ (h >> 14) ^ p[i] * 234u; break;
      case 5: h = (h << 5) ^ (h >> 17) ^ p[i] * 265u; break;
      case 6: h = (h << 6) ^ (h >> 3) ^ p[i] * 296u; break;
      case 7: h = (h << 7) ^ (h >> 6) ^ p[i] * 327u; break;
    }
  }
  return h;
}
static uint64_t f104(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1183412200u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 104) & 7) {
      case 0: h = (h << 1) ^ (h >> 3) ^ p[i] * 111u; break;
      case 1: h = (h << 2) ^ (h >> 6) ^ p[i] * 142u; break;
      case 2: h = (h << 3) ^ (h >> 9) ^ p[i] * 173u; break;
      case 3: h = (h << 4) ^ (h >> 12) ^ p[i] * 204u; break;
      case 4: h = (h << 5) ^ (h >> 15) ^ p[i] * 235u; break;
      case 5: h = (h << 6) ^ (h >> 1) ^ p[i] * 266u; break;
      case 6: h = (h << 7) ^ (h >> 4) ^ p[i] * 297u; break;
      case 7: h = (h << 8) ^ (h >> 7) ^ p[i] * 328u; break;
    }
  }
  return h;
}
static uint64_t f105(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3837847961u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 105) & 7) {
      case 0: h = (h << 2) ^ (h >> 4) ^ p[i] * 112u; break;
      case 1: h = (h << 3) ^ (h >> 7) ^ p[i] * 143u; break;
      case 2: h = (h << 4) ^ (h >> 10) ^ p[i] * 174u; break;
      case 3: h = (h << 5) ^ (h >> 13) ^ p[i] * 205u; break;
      case 4: h = (h << 6) ^ (h >> 16) ^ p[i] * 236u; break;
      case 5: h = (h << 7) ^ (h >> 2) ^ p[i] * 267u; break;
      case 6: h = (h << 8) ^ (h >> 5) ^ p[i] * 298u; break;
      case 7: h = (h << 9) ^ (h >> 8) ^ p[i] * 329u; break;
    }
  }
  return h;
}
static uint64_t f106(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2197316426u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 106) & 7) {
      case 0: h = (h << 3) ^ (h >> 5) ^ p[i] * 113u; break;
      case 1: h = (h << 4) ^ (h >> 8) ^ p[i] * 144u; break;
      case 2: h = (h << 5) ^ (h >> 11) ^ p[i] * 175u; break;
      case 3: h = (h << 6) ^ (h >> 14) ^ p[i] * 206u; break;
      case 4: h = (h << 7) ^ (h >> 17) ^ p[i] * 237u; break;
      case 5: h = (h << 8) ^ (h >> 3) ^ p[i] * 268u; break;
      case 6: h = (h << 9) ^ (h >> 6) ^ p[i] * 299u; break;
      case 7: h = (h << 10) ^ (h >> 9) ^ p[i] * 330u; break;
    }
  }
  return h;
}
static uint64_t f107(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 556784891u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 107) & 7) {
      case 0: h = (h << 4) ^ (h >> 6) ^ p[i] * 114u; break;
      case 1: h = (h << 5) ^ (h >> 9) ^ p[i] * 145u; break;
      case 2: h = (h << 6) ^ (h >> 12) ^ p[i] * 176u; break;
      case 3: h = (h << 7) ^ (h >> 15) ^ p[i] * 207u; break;
      case 4: h = (h << 8) ^ (h >> 1) ^ p[i] * 238u; break;
      case 5: h = (h << 9) ^ (h >> 4) ^ p[i] * 269u; break;
      case 6: h = (h << 10) ^ (h >> 7) ^ p[i] * 300u; break;
      case 7: h = (h << 11) ^ (h >> 10) ^ p[i] * 331u; break;
    }
  }
  return h;
}
static uint64_t f108(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3211220652u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 108) & 7) {
      case 0: h = (h << 5) ^ (h >> 7) ^ p[i] * 115u; break;
      case 1: h = (h << 6) ^ (h >> 10) ^ p[i] * 146u; break;
      case 2: h = (h << 7) ^ (h >> 13) ^ p[i] * 177u; break;
      case 3: h = (h << 8) ^ (h >> 16) ^ p[i] * 208u; break;
      case 4: h = (h << 9) ^ (h >> 2) ^ p[i] * 239u; break;
      case 5: h = (h << 10) ^ (h >> 5) ^ p[i] * 270u; break;
      case 6: h = (h << 11) ^ (h >> 8) ^ p[i] * 301u; break;
      case 7: h = (h << 12) ^ (h >> 11) ^ p[i] * 332u; break;
    }
  }
  return h;
}
static uint64_t f109(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1570689117u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 109) & 7) {
      case 0: h = (h << 6) ^ (h >> 8) ^ p[i] * 116u; break;
      case 1: h = (h << 7) ^ (h >> 11) ^ p[i] * 147u; break;
      case 2: h = (h << 8) ^ (h >> 14) ^ p[i] * 178u; break;
      case 3: h = (h << 9) ^ (h >> 17) ^ p[i] * 209u; break;
      case 4: h = (h << 10) ^ (h >> 3) ^ p[i] * 240u; break;
      case 5: h = (h << 11) ^ (h >> 6) ^ p[i] * 271u; break;
      case 6: h = (h << 12) ^ (h >> 9) ^ p[i] * 302u; break;
      case 7: h = (h << 13) ^ (h >> 12) ^ p[i] * 333u; break;
    }
  }
  return h;
}
static uint64_t f110(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 4225124878u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 110) & 7) {
      case 0: h = (h << 7) ^ (h >> 9) ^ p[i] * 117u; break;
      case 1: h = (h << 8) ^ (h >> 12) ^ p[i] * 148u; break;
      case 2: h = (h << 9) ^ (h >> 15) ^ p[i] * 179u; break;
      case 3: h = (h << 10) ^ (h >> 1) ^ p[i] * 210u; break;
      case 4: h = (h << 11) ^ (h >> 4) ^ p[i] * 241u; break;
      case 5: h = (h << 12) ^ (h >> 7) ^ p[i] * 272u; break;
      case 6: h = (h << 13) ^ (h >> 10) ^ p[i] * 303u; break;
      case 7: h = (h << 1) ^ (h >> 13) ^ p[i] * 334u; break;
    }
  }
  return h;
}
static uint64_t f111(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2584593343u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 111) & 7) {
      case 0: h = (h << 8) ^ (h >> 10) ^ p[i] * 118u; break;
      case 1: h = (h << 9) ^ (h >> 13) ^ p[i] * 149u; break;
      case 2: h = (h << 10) ^ (h >> 16) ^ p[i] * 180u; break;
      case 3: h = (h << 11) ^ (h >> 2) ^ p[i] * 211u; break;
      case 4: h = (h << 12) ^ (h >> 5) ^ p[i] * 242u; break;
      case 5: h = (h << 13) ^ (h >> 8) ^ p[i] * 273u; break;
      case 6: h = (h << 1) ^ (h >> 11) ^ p[i] * 304u; break;
      case 7: h = (h << 2) ^ (h >> 14) ^ p[i] * 335u; break;
    }
  }
  return h;
}
static uint64_t f112(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 944061808u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 112) & 7) {
      case 0: h = (h << 9) ^ (h >> 11) ^ p[i] * 119u; break;
      case 1: h = (h << 10) ^ (h >> 14) ^ p[i] * 150u; break;
      case 2: h = (h << 11) ^ (h >> 17) ^ p[i] * 181u; break;
      case 3: h = (h << 12) ^ (h >> 3) ^ p[i] * 212u; break;
      case 4: h = (h << 13) ^ (h >> 6) ^ p[i] * 243u; break;
      case 5: h = (h << 1) ^ (h >> 9) ^ p[i] * 274u; break;
      case 6: h = (h << 2) ^ (h >> 12) ^ p[i] * 305u; break;
      case 7: h = (h << 3) ^ (h >> 15) ^ p[i] * 336u; break;
    }
  }
  return h;
}
static uint64_t f113(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3598497569u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 113) & 7) {
      case 0: h = (h << 10) ^ (h >> 12) ^ p[i] * 120u; break;
      case 1: h = (h << 11) ^ (h >> 15) ^ p[i] * 151u; break;
      case 2: h = (h << 12) ^ (h >> 1) ^ p[i] * 182u; break;
      case 3: h = (h << 13) ^ (h >> 4) ^ p[i] * 213u; break;
      case 4: h = (h << 1) ^ (h >> 7) ^ p[i] * 244u; break;
      case 5: h = (h << 2) ^ (h >> 10) ^ p[i] * 275u; break;
      case 6: h = (h << 3) ^ (h >> 13) ^ p[i] * 306u; break;
      case 7: h = (h << 4) ^ (h >> 16) ^ p[i] * 337u; break;
    }
  }
  return h;
}
static uint64_t f114(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1957966034u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 114) & 7) {
      case 0: h = (h << 11) ^ (h >> 13) ^ p[i] * 121u; break;
      case 1: h = (h << 12) ^ (h >> 16) ^ p[i] * 152u; break;
      case 2: h = (h << 13) ^ (h >> 2) ^ p[i] * 183u; break;
      case 3: h = (h << 1) ^ (h >> 5) ^ p[i] * 214u; break;
      case 4: h = (h << 2) ^ (h >> 8) ^ p[i] * 245u; break;
      case 5: h = (h << 3) ^ (h >> 11) ^ p[i] * 276u; break;
      case 6: h = (h << 4) ^ (h >> 14) ^ p[i] * 307u; break;
      case 7: h = (h << 5) ^ (h >> 17) ^ p[i] * 338u; break;
    }
  }
  return h;
}
static uint64_t f115(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 317434499u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 115) & 7) {
      case 0: h = (h << 12) ^ (h >> 14) ^ p[i] * 122u; break;
      case 1: h = (h << 13) ^ (h >> 17) ^ p[i] * 153u; break;
      case 2: h = (h << 1) ^ (h >> 3) ^ p[i] * 184u; break;
      case 3: h = (h << 2) ^ (h >> 6) ^ p[i] * 215u; break;
      case 4: h = (h << 3) ^ (h >> 9) ^ p[i] * 246u; break;
      case 5: h = (h << 4) ^ (h >> 12) ^ p[i] * 277u; break;
      case 6: h = (h << 5) ^ (h >> 15) ^ p[i] * 308u; break;
      case 7: h = (h << 6) ^ (h >> 1) ^ p[i] * 339u; break;
    }
  }
  return h;
}
static uint64_t f116(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2971870260u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 116) & 7) {
      case 0: h = (h << 13) ^ (h >> 15) ^ p[i] * 123u; break;
      case 1: h = (h << 1) ^ (h >> 1) ^ p[i] * 154u; break;
      case 2: h = (h << 2) ^ (h >> 4) ^ p[i] * 185u; break;
      case 3: h = (h << 3) ^ (h >> 7) ^ p[i] * 216u; break;
      case 4: h = (h << 4) ^ (h >> 10) ^ p[i] * 247u; break;
      case 5: h = (h << 5) ^ (h >> 13) ^ p[i] * 278u; break;
      case 6: h = (h << 6) ^ (h >> 16) ^ p[i] * 309u; break;
      case 7: h = (h << 7) ^ (h >> 2) ^ p[i] * 340u; break;
    }
  }
  return h;
}
static uint64_t f117(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1331338725u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 117) & 7) {
      case 0: h = (h << 1) ^ (h >> 16) ^ p[i] * 124u; break;
      case 1: h = (h << 2) ^ (h >> 2) ^ p[i] * 155u; break;
      case 2: h = (h << 3) ^ (h >> 5) ^ p[i] * 186u; break;
      case 3: h = (h << 4) ^ (h >> 8) ^ p[i] * 217u; break;
      case 4: h = (h << 5) ^ (h >> 11) ^ p[i] * 248u; break;
      case 5: h = (h << 6) ^ (h >> 14) ^ p[i] * 279u; break;
      case 6: h = (h << 7) ^ (h >> 17) ^ p[i] * 310u; break;
      case 7: h = (h << 8) ^ (h >> 3) ^ p[i] * 341u; break;
    }
  }
  return h;
}
static uint64_t f118(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3985774486u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 118) & 7) {
      case 0: h = (h << 2) ^ (h >> 17) ^ p[i] * 125u; break;
      case 1: h = (h << 3) ^ (h >> 3) ^ p[i] * 156u; break;
      case 2: h = (h << 4) ^ (h >> 6) ^ p[i] * 187u; break;
      case 3: h = (h << 5) ^ (h >> 9) ^ p[i] * 218u; break;
      case 4: h = (h << 6) ^ (h >> 12) ^ p[i] * 249u; break;
      case 5: h = (h << 7) ^ (h >> 15) ^ p[i] * 280u; break;
      case 6: h = (h << 8) ^ (h >> 1) ^ p[i] * 311u; break;
      case 7: h = (h << 9) ^ (h >> 4) ^ p[i] * 342u; break;
    }
  }
  return h;
}
static uint64_t f119(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2345242951u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 119) & 7) {
      case 0: h = (h << 3) ^ (h >> 1) ^ p[i] * 126u; break;
      case 1: h = (h << 4) ^ (h >> 4) ^ p[i] * 157u; break;
      case 2: h = (h << 5) ^ (h >> 7) ^ p[i] * 188u; break;
      case 3: h = (h << 6) ^ (h >> 10) ^ p[i] * 219u; break;
      case 4: h = (h << 7) ^ (h >> 13) ^ p[i] * 250u; break;
      case 5: h = (h << 8) ^ (h >> 16) ^ p[i] * 281u; break;
      case 6: h = (h << 9) ^ (h >> 2) ^ p[i] * 312u; break;
      case 7: h = (h << 10) ^ (h >> 5) ^ p[i] * 343u; break;
    }
  }
  return h;
}
static uint64_t f120(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 704711416u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 120) & 7) {
      case 0: h = (h << 4) ^ (h >> 2) ^ p[i] * 127u; break;
      case 1: h = (h << 5) ^ (h >> 5) ^ p[i] * 158u; break;
      case 2: h = (h << 6) ^ (h >> 8) ^ p[i] * 189u; break;
      case 3: h = (h << 7) ^ (h >> 11) ^ p[i] * 220u; break;
      case 4: h = (h << 8) ^ (h >> 14) ^ p[i] * 251u; break;
      case 5: h = (h << 9) ^ (h >> 17) ^ p[i] * 282u; break;
      case 6: h = (h << 10) ^ (h >> 3) ^ p[i] * 313u; break;
      case 7: h = (h << 11) ^ (h >> 6) ^ p[i] * 344u; break;
    }
  }
  return h;
}
static uint64_t f121(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3359147177u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 121) & 7) {
      case 0: h = (h << 5) ^ (h >> 3) ^ p[i] * 128u; break;
      case 1: h = (h << 6) ^ (h >> 6) ^ p[i] * 159u; break;
      case 2: h = (h << 7) ^ (h >> 9) ^ p[i] * 190u; break;
      case 3: h = (h << 8) ^ (h >> 12) ^ p[i] * 221u; break;
      case 4: h = (h << 9) ^ (h >> 15) ^ p[i] * 252u; break;
      case 5: h = (h << 10) ^ (h >> 1) ^ p[i] * 283u; break;
      case 6: h = (h << 11) ^ (h >> 4) ^ p[i] * 314u; break;
      case 7: h = (h << 12) ^ (h >> 7) ^ p[i] * 345u; break;
    }
  }
  return h;
}
static uint64_t f122(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1718615642u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 122) & 7) {
      case 0: h = (h << 6) ^ (h >> 4) ^ p[i] * 129u; break;
      case 1: h = (h << 7) ^ (h >> 7) ^ p[i] * 160u; break;
      case 2: h = (h << 8) ^ (h >> 10) ^ p[i] * 191u; break;
      case 3: h = (h << 9) ^ (h >> 13) ^ p[i] * 222u; break;
      case 4: h = (h << 10) ^ (h >> 16) ^ p[i] * 253u; break;
      case 5: h = (h << 11) ^ (h >> 2) ^ p[i] * 284u; break;
      case 6: h = (h << 12) ^ (h >> 5) ^ p[i] * 315u; break;
      case 7: h = (h << 13) ^ (h >> 8) ^ p[i] * 346u; break;
    }
  }
  return h;
}
static uint64_t f123(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 78084107u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 123) & 7) {
      case 0: h = (h << 7) ^ (h >> 5) ^ p[i] * 130u; break;
      case 1: h = (h << 8) ^ (h >> 8) ^ p[i] * 161u; break;
      case 2: h = (h << 9) ^ (h >> 11) ^ p[i] * 192u; break;
      case 3: h = (h << 10) ^ (h >> 14) ^ p[i] * 223u; break;
      case 4: h = (h << 11) ^ (h >> 17) ^ p[i] * 254u; break;
      case 5: h = (h << 12) ^ (h >> 3) ^ p[i] * 285u; break;
      case 6: h = (h << 13) ^ (h >> 6) ^ p[i] * 316u; break;
      case 7: h = (h << 1) ^ (h >> 9) ^ p[i] * 347u; break;
    }
  }
  return h;
}
static uint64_t f124(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2732519868u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 124) & 7) {
      case 0: h = (h << 8) ^ (h >> 6) ^ p[i] * 131u; break;
      case 1: h = (h << 9) ^ (h >> 9) ^ p[i] * 162u; break;
      case 2: h = (h << 10) ^ (h >> 12) ^ p[i] * 193u; break;
      case 3: h = (h << 11) ^ (h >> 15) ^ p[i] * 224u; break;
      case 4: h = (h << 12) ^ (h >> 1) ^ p[i] * 255u; break;
      case 5: h = (h << 13) ^ (h >> 4) ^ p[i] * 286u; break;
      case 6: h = (h << 1) ^ (h >> 7) ^ p[i] * 317u; break;
      case 7: h = (h << 2) ^ (h >> 10) ^ p[i] * 348u; break;
    }
  }
  return h;
}
static uint64_t f125(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1091988333u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 125) & 7) {
      case 0: h = (h << 9) ^ (h >> 7) ^ p[i] * 132u; break;
      case 1: h = (h << 10) ^ (h >> 10) ^ p[i] * 163u; break;
      case 2: h = (h << 11) ^ (h >> 13) ^ p[i] * 194u; break;
      case 3: h = (h << 12) ^ (h >> 16) ^ p[i] * 225u; break;
      case 4: h = (h << 13) ^ (h >> 2) ^ p[i] * 256u; break;
      case 5: h = (h << 1) ^ (h >> 5) ^ p[i] * 287u; break;
      case 6: h = (h << 2) ^ (h >> 8) ^ p[i] * 318u; break;
      case 7: h = (h << 3) ^ (h >> 11) ^ p[i] * 349u; break;
    }
  }
  return h;
}
static uint64_t f126(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3746424094u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 126) & 7) {
      case 0: h = (h << 10) ^ (h >> 8) ^ p[i] * 133u; break;
      case 1: h = (h << 11) ^ (h >> 11) ^ p[i] * 164u; break;
      case 2: h = (h << 12) ^ (h >> 14) ^ p[i] * 195u; break;
      case 3: h = (h << 13) ^ (h >> 17) ^ p[i] * 226u; break;
      case 4: h = (h << 1) ^ (h >> 3) ^ p[i] * 257u; break;
      case 5: h = (h << 2) ^ (h >> 6) ^ p[i] * 288u; break;
      case 6: h = (h << 3) ^ (h >> 9) ^ p[i] * 319u; break;
      case 7: h = (h << 4) ^ (h >> 12) ^ p[i] * 350u; break;
    }
  }
  return h;
}
static uint64_t f127(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2105892559u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 127) & 7) {
      case 0: h = (h << 11) ^ (h >> 9) ^ p[i] * 134u; break;
      case 1: h = (h << 12) ^ (h >> 12) ^ p[i] * 165u; break;
      case 2: h = (h << 13) ^ (h >> 15) ^ p[i] * 196u; break;
      case 3: h = (h << 1) ^ (h >> 1) ^ p[i] * 227u; break;
      case 4: h = (h << 2) ^ (h >> 4) ^ p[i] * 258u; break;
      case 5: h = (h << 3) ^ (h >> 7) ^ p[i] * 289u; break;
      case 6: h = (h << 4) ^ (h >> 10) ^ p[i] * 320u; break;
      case 7: h = (h << 5) ^ (h >> 13) ^ p[i] * 351u; break;
    }
  }
  return h;
}
static uint64_t f128(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 465361024u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 128) & 7) {
      case 0: h = (h << 12) ^ (h >> 10) ^ p[i] * 135u; break;
      case 1: h = (h << 13) ^ (h >> 13) ^ p[i] * 166u; break;
      case 2: h = (h << 1) ^ (h >> 16) ^ p[i] * 197u; break;
      case 3: h = (h << 2) ^ (h >> 2) ^ p[i] * 228u; break;
      case 4: h = (h << 3) ^ (h >> 5) ^ p[i] * 259u; break;
      case 5: h = (h << 4) ^ (h >> 8) ^ p[i] * 290u; break;
      case 6: h = (h << 5) ^ (h >> 11) ^ p[i] * 321u; break;
      case 7: h = (h << 6) ^ (h >> 14) ^ p[i] * 352u; break;
    }
  }
  return h;
}
static uint64_t f129(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3119796785u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 129) & 7) {
      case 0: h = (h << 13) ^ (h >> 11) ^ p[i] * 136u; break;
      case 1: h = (h << 1) ^ (h >> 14) ^ p[i] * 167u; break;
      case 2: h = (h << 2) ^ (h >> 17) ^ p[i] * 198u; break;
      case 3: h = (h << 3) ^ (h >> 3) ^ p[i] * 229u; break;
      case 4: h = (h << 4) ^ (h >> 6) ^ p[i] * 260u; break;
      case 5: h = (h << 5) ^ (h >> 9) ^ p[i] * 291u; break;
      case 6: h = (h << 6) ^ (h >> 12) ^ p[i] * 322u; break;
      case 7: h = (h << 7) ^ (h >> 15) ^ p[i] * 353u; break;
    }
  }
  return h;
}
static uint64_t f130(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1479265250u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 130) & 7) {
      case 0: h = (h << 1) ^ (h >> 12) ^ p[i] * 137u; break;
      case 1: h = (h << 2) ^ (h >> 15) ^ p[i] * 168u; break;
      case 2: h = (h << 3) ^ (h >> 1) ^ p[i] * 199u; break;
      case 3: h = (h << 4) ^ (h >> 4) ^ p[i] * 230u; break;
      case 4: h = (h << 5) ^ (h >> 7) ^ p[i] * 261u; break;
      case 5: h = (h << 6) ^ (h >> 10) ^ p[i] * 292u; break;
      case 6: h = (h << 7) ^ (h >> 13) ^ p[i] * 323u; break;
      case 7: h = (h << 8) ^ (h >> 16) ^ p[i] * 354u; break;
    }
  }
  return h;
}
static uint64_t f131(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 4133701011u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 131) & 7) {
      case 0: h = (h << 2) ^ (h >> 13) ^ p[i] * 138u; break;
      case 1: h = (h << 3) ^ (h >> 16) ^ p[i] * 169u; break;
      case 2: h = (h << 4) ^ (h >> 2) ^ p[i] * 200u; break;
      case 3: h = (h << 5) ^ (h >> 5) ^ p[i] * 231u; break;
      case 4: h = (h << 6) ^ (h >> 8) ^ p[i] * 262u; break;
      case 5: h = (h << 7) ^ (h >> 11) ^ p[i] * 293u; break;
      case 6: h = (h << 8) ^ (h >> 14) ^ p[i] * 324u; break;
      case 7: h = (h << 9) ^ (h >> 17) ^ p[i] * 355u; break;
    }
  }
  return h;
}
static uint64_t f132(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2493169476u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 132) & 7) {
      case 0: h = (h << 3) ^ (h >> 14) ^ p[i] * 139u; break;
      case 1: h = (h << 4) ^ (h >> 17) ^ p[i] * 170u; break;
      case 2: h = (h << 5) ^ (h >> 3) ^ p[i] * 201u; break;
      case 3: h = (h << 6) ^ (h >> 6) ^ p[i] * 232u; break;
      case 4: h = (h << 7) ^ (h >> 9) ^ p[i] * 263u; break;
      case 5: h = (h << 8) ^ (h >> 12) ^ p[i] * 294u; break;
      case 6: h = (h << 9) ^ (h >> 15) ^ p[i] * 325u; break;
      case 7: h = (h << 10) ^ (h >> 1) ^ p[i] * 356u; break;
    }
  }
  return h;
}
static uint64_t f133(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 852637941u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 133) & 7) {
      case 0: h = (h << 4) ^ (h >> 15) ^ p[i] * 140u; break;
      case 1: h = (h << 5) ^ (h >> 1) ^ p[i] * 171u; break;
      case 2: h = (h << 6) ^ (h >> 4) ^ p[i] * 202u; break;
      case 3: h = (h << 7) ^ (h >> 7) ^ p[i] * 233u; break;
      case 4: h = (h << 8) ^ (h >> 10) ^ p[i] * 264u; break;
      case 5: h = (h << 9) ^ (h >> 13) ^ p[i] * 295u; break;
      case 6: h = (h << 10) ^ (h >> 16) ^ p[i] * 326u; break;
      case 7: h = (h << 11) ^ (h >> 2) ^ p[i] * 357u; break;
    }
  }
  return h;
}
static uint64_t f134(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3507073702u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 134) & 7) {
      case 0: h = (h << 5) ^ (h >> 16) ^ p[i] * 141u; break;
      case 1: h = (h << 6) ^ (h >> 2) ^ p[i] * 172u; break;
      case 2: h = (h << 7) ^ (h >> 5) ^ p[i] * 203u; break;
      case 3: h = (h << 8) ^ (h >> 8) ^ p[i] * 234u; break;
      case 4: h = (h << 9) ^ (h >> 11) ^ p[i] * 265u; break;
      case 5: h = (h << 10) ^ (h >> 14) ^ p[i] * 296u; break;
      case 6: h = (h << 11) ^ (h >> 17) ^ p[i] * 327u; break;
      case 7: h = (h << 12) ^ (h >> 3) ^ p[i] * 358u; break;
    }
  }
  return h;
}
static uint64_t f135(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1866542167u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 135) & 7) {
      case 0: h = (h << 6) ^ (h >> 17) ^ p[i] * 142u; break;
      case 1: h = (h << 7) ^ (h >> 3) ^ p[i] * 173u; break;
      case 2: h = (h << 8) ^ (h >> 6) ^ p[i] * 204u; break;
      case 3: h = (h << 9) ^ (h >> 9) ^ p[i] * 235u; break;
      case 4: h = (h << 10) ^ (h >> 12) ^ p[i] * 266u; break;
      case 5: h = (h << 11) ^ (h >> 15) ^ p[i] * 297u; break;
      case 6: h = (h << 12) ^ (h >> 1) ^ p[i] * 328u; break;
      case 7: h = (h << 13) ^ (h >> 4) ^ p[i] * 359u; break;
    }
  }
  return h;
}
static uint64_t f136(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 226010632u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 136) & 7) {
      case 0: h = (h << 7) ^ (h >> 1) ^ p[i] * 143u; break;
      case 1: h = (h << 8) ^ (h >> 4) ^ p[i] * 174u; break;
      case 2: h = (h << 9) ^ (h >> 7) ^ p[i] * 205u; break;
      case 3: h = (h << 10) ^ (h >> 10) ^ p[i] * 236u; break;
      case 4: h = (h << 11) ^ (h >> 13) ^ p[i] * 267u; break;
      case 5: h = (h << 12) ^ (h >> 16) ^ p[i] * 298u; break;
      case 6: h = (h << 13) ^ (h >> 2) ^ p[i] * 329u; break;
      case 7: h = (h << 1) ^ (h >> 5) ^ p[i] * 360u; break;
    }
  }
  return h;
}
static uint64_t f137(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 2880446393u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 137) & 7) {
      case 0: h = (h << 8) ^ (h >> 2) ^ p[i] * 144u; break;
      case 1: h = (h << 9) ^ (h >> 5) ^ p[i] * 175u; break;
      case 2: h = (h << 10) ^ (h >> 8) ^ p[i] * 206u; break;
      case 3: h = (h << 11) ^ (h >> 11) ^ p[i] * 237u; break;
      case 4: h = (h << 12) ^ (h >> 14) ^ p[i] * 268u; break;
      case 5: h = (h << 13) ^ (h >> 17) ^ p[i] * 299u; break;
      case 6: h = (h << 1) ^ (h >> 3) ^ p[i] * 330u; break;
      case 7: h = (h << 2) ^ (h >> 6) ^ p[i] * 361u; break;
    }
  }
  return h;
}
static uint64_t f138(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 1239914858u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 138) & 7) {
      case 0: h = (h << 9) ^ (h >> 3) ^ p[i] * 145u; break;
      case 1: h = (h << 10) ^ (h >> 6) ^ p[i] * 176u; break;
      case 2: h = (h << 11) ^ (h >> 9) ^ p[i] * 207u; break;
      case 3: h = (h << 12) ^ (h >> 12) ^ p[i] * 238u; break;
      case 4: h = (h << 13) ^ (h >> 15) ^ p[i] * 269u; break;
      case 5: h = (h << 1) ^ (h >> 1) ^ p[i] * 300u; break;
      case 6: h = (h << 2) ^ (h >> 4) ^ p[i] * 331u; break;
      case 7: h = (h << 3) ^ (h >> 7) ^ p[i] * 362u; break;
    }
  }
  return h;
}
static uint64_t f139(const uint8_t *p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 3894350619u;
  for (size_t i = 0; i < n; i++) {
    switch ((p[i] + 139) & 7) {
      case 0: h = (h << 10) ^ (h >> 4) ^ p[i] * 146u; break;
      case 1: h = (h << 11) ^ (h >> 7) ^ p[i] * 177u; break;
      case 2: h = (h << 12) ^ (h >> 10) ^ p[i] * 208u; break;
      case 3: h = (h << 13) ^ (h >> 13) ^ p[i] * 239u; break;
      case 4: h = (h << 1) ^ (h >> 16) ^ p[i] * 270u; break;
      case 5: h = (h << 2) ^ (h >> 2) ^ p[i] * 301u; break;
      case 6: h = (h << 3) ^ (h >> 5) ^ p[i] * 332u; break;
      case 7: h = (h << 4) ^ (h >> 8) ^ p[i] * 363u; break;
    }
  }
  return h;
}
int main(int argc, char **argv) {
  const char *s = argc > 1 ? argv[1] : "tsvisor"; size_t n = strlen(s); uint64_t acc = 0; struct node *root = NULL;
  acc += f0((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)0);
  acc += f1((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)1);
  acc += f2((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)2);
  acc += f3((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)3);
  acc += f4((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)4);
  acc += f5((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)5);
  acc += f6((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)6);
  acc += f7((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)7);
  acc += f8((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)8);
  acc += f9((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)9);
  acc += f10((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)10);
  acc += f11((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)11);
  acc += f12((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)12);
  acc += f13((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)13);
  acc += f14((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)14);
  acc += f15((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)15);
  acc += f16((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)16);
  acc += f17((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)17);
  acc += f18((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)18);
  acc += f19((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)19);
  acc += f20((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)20);
  acc += f21((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)21);
  acc += f22((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)22);
  acc += f23((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)23);
  acc += f24((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)24);
  acc += f25((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)25);
  acc += f26((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)26);
  acc += f27((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)27);
  acc += f28((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)28);
  acc += f29((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)29);
  acc += f30((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)30);
  acc += f31((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)31);
  acc += f32((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)32);
  acc += f33((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)33);
  acc += f34((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)34);
  acc += f35((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)35);
  acc += f36((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)36);
  acc += f37((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)37);
  acc += f38((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)38);
  acc += f39((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)39);
  acc += f40((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)40);
  acc += f41((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)41);
  acc += f42((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)42);
  acc += f43((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)43);
  acc += f44((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)44);
  acc += f45((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)45);
  acc += f46((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)46);
  acc += f47((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)47);
  acc += f48((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)48);
  acc += f49((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)49);
  acc += f50((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)50);
  acc += f51((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)51);
  acc += f52((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)52);
  acc += f53((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)53);
  acc += f54((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)54);
  acc += f55((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)55);
  acc += f56((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)56);
  acc += f57((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)57);
  acc += f58((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)58);
  acc += f59((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)59);
  acc += f60((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)60);
  acc += f61((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)61);
  acc += f62((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)62);
  acc += f63((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)63);
  acc += f64((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)64);
  acc += f65((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)65);
  acc += f66((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)66);
  acc += f67((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)67);
  acc += f68((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)68);
  acc += f69((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)69);
  acc += f70((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)70);
  acc += f71((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)71);
  acc += f72((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)72);
  acc += f73((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)73);
  acc += f74((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)74);
  acc += f75((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)75);
  acc += f76((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)76);
  acc += f77((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)77);
  acc += f78((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)78);
  acc += f79((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)79);
  acc += f80((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)80);
  acc += f81((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)81);
  acc += f82((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)82);
  acc += f83((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)83);
  acc += f84((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)84);
  acc += f85((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)85);
  acc += f86((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)86);
  acc += f87((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)87);
  acc += f88((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)88);
  acc += f89((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)89);
  acc += f90((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)90);
  acc += f91((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)91);
  acc += f92((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)92);
  acc += f93((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)93);
  acc += f94((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)94);
  acc += f95((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)95);
  acc += f96((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)96);
  acc += f97((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)97);
  acc += f98((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)98);
  acc += f99((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)99);
  acc += f100((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)100);
  acc += f101((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)101);
  acc += f102((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)102);
  acc += f103((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)103);
  acc += f104((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)104);
  acc += f105((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)105);
  acc += f106((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)106);
  acc += f107((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)107);
  acc += f108((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)108);
  acc += f109((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)109);
  acc += f110((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)110);
  acc += f111((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)111);
  acc += f112((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)112);
  acc += f113((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)113);
  acc += f114((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)114);
  acc += f115((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)115);
  acc += f116((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)116);
  acc += f117((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)117);
  acc += f118((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)118);
  acc += f119((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)119);
  acc += f120((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)120);
  acc += f121((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)121);
  acc += f122((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)122);
  acc += f123((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)123);
  acc += f124((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)124);
  acc += f125((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)125);
  acc += f126((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)126);
  acc += f127((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)127);
  acc += f128((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)128);
  acc += f129((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)129);
  acc += f130((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)130);
  acc += f131((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)131);
  acc += f132((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)132);
  acc += f133((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)133);
  acc += f134((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)134);
  acc += f135((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)135);
  acc += f136((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)136);
  acc += f137((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)137);
  acc += f138((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)138);
  acc += f139((const uint8_t *)s, n, acc); root = insert(root, (int)(acc % 1000), (double)139);
  printf("%llu %s\n", (unsigned long long)acc, root ? root->name : "");
  return 0;
}
