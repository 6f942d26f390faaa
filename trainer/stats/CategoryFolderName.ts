/**
 * Checks that a behavior name can be a folder under results/<run-id>/: writers put each behavior's
 * files there, and a name with a path separator or "." / ".." would write somewhere else.
 */
export function checkCategoryFolderName(category: string, writer: string): void {
  if (typeof category !== 'string' || category.length === 0) {
    throw new Error(`${writer}: behavior name is empty; give the behavior a name in its spec`);
  }
  if (/[\\/\0]/.test(category) || category === '.' || category === '..') {
    throw new Error(
      `${writer}: behavior name "${category}" cannot be a folder name under the results folder; use a name without "/", "\\" or NUL that is not "." or ".."`,
    );
  }
}
