// The one error type of the image module: a bad image, layout or cache, told
// in one line that names the file, field or layer at fault.

export class ImageError extends Error {
  override name = 'ImageError';
}
