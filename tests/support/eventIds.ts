/**
 * The ids and the user token the sample events of tests/events/ carry, for tests that assert
 * what was read from them.
 */
export const WHITEBOARD_ID = 'Vd7LwaTCKhv1bxbxNXAcSWlInFg';
export const FILE_TOKEN = 'boxcnrHpsg1QDqXAAAyachabcef';
export const FAQ_ID = '6947428293384273921';
export const FAQ_IMAGE_KEY = 'img_v2_041b28e3-5680-48c2-9af2-497ace79333g';
export const IM_IMAGE_KEY = 'img_v3_02ab_e7a1b3c0-5d2f-4c8e-9a61-7b3c2d1e0f9g';
export const USER_TOKEN = 'u-cjz1eKCEx289x1TXEiQJqAh5171B4gDHPq00l0GE1234';
