/** The pages we hand out load nothing: no scripts, no fonts, no images from anywhere. */
export const NO_NETWORK = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`;
