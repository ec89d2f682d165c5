/** Where a person is sent when a credential that worked is refused: the README section on rotating it. */
export const ROTATION_README = 'README.md#rotating-credentials';
