/**
 * What a backend declares about itself to the suite — the dtypes and kernels it does not
 * support, extra exclusions and tolerance overrides, each with its reason — and how that turns
 * into the exclusion of individual cases. Exclusions are reported, never counted as passes.
 */
import type { Backend, DType, KernelName } from '@rnnkit/core';
import { KERNEL_NAMES } from '@rnnkit/core';
import type { ToleranceOverrides } from './tolerances.js';

/**
 * A backend's conformance profile. A backend module may export it as `conformance` for the
 * CLI (`rnnkit-conformance --backend-module`), and {@link runConformance} and the Vitest face
 * take the same fields.
 */
export interface ConformanceProfile {
  /**
   * Why the backend does not store a dtype. Cases needing a dtype missing from
   * `backend.dtypes` are excluded whether listed here or not (the reason then says only
   * that the backend does not declare it); listing a dtype the backend *does* declare is an
   * error.
   */
  unsupportedDTypes?: Partial<Record<DType, string>>;
  /**
   * Kernels the backend does not implement, each with its reason. Their kernel cases are
   * excluded, and so is every other case that calls one of them (found by tracing the kernels
   * each case calls), whatever its outcome.
   */
  unsupportedKernels?: Partial<Record<KernelName, string>>;
  /**
   * Further checks the backend is excused from: test-id prefix → reason, segments matched as
   * in {@link exclusionMatches} (`*` matches any one segment), e.g.
   * `{ 'kernel/Softmax/float32/[3, 17]/range=60': 'why' }`. An exclusion that matches no
   * case of the suite is an error (stale or misspelt).
   */
  exclusions?: Readonly<Record<string, string>>;
  /** Tolerance overrides; write the reason next to each. */
  tolerances?: ToleranceOverrides;
}

/** Why a case is excluded: the declaration that covers it and its reason. */
export interface Exclusion {
  /** `dtype:<dtype>`, `kernel:<Kernel>` or the exclusion key that matched. */
  key: string;
  /** The reason, as declared (or derived, for dtypes missing from `backend.dtypes`). */
  reason: string;
}

/** Thrown for a profile that contradicts itself or the backend. */
export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/**
 * True when test `id` is covered by exclusion `key`. Both are `/`-separated paths; the key
 * matches when its segments equal the id's leading segments, `*` matching any one segment.
 * `kernel/Binary` covers every Binary case; `kernel/*\/float64` every float64 kernel case.
 */
export function exclusionMatches(key: string, id: string): boolean {
  const k = key.split('/');
  const s = id.split('/');
  if (k.length > s.length) return false;
  return k.every((seg, i) => seg === '*' || seg === s[i]);
}

/** The first exclusion that covers `id`, as `[key, reason]`, or undefined. */
export function findExclusion(
  exclusions: Readonly<Record<string, string>>,
  id: string,
): [string, string] | undefined {
  for (const [key, reason] of Object.entries(exclusions))
    if (exclusionMatches(key, id)) return [key, reason];
  return undefined;
}

/**
 * Checks a profile against the backend it describes: every reason non-empty, every declared
 * unsupported dtype really missing from `backend.dtypes`, every kernel name in the catalogue.
 * @throws {@link ProfileError} naming the field and the fix.
 */
export function validateProfile(profile: ConformanceProfile, backend: Backend): void {
  const empty = (what: string, reason: unknown) => {
    if (typeof reason !== 'string' || reason.trim() === '')
      throw new ProfileError(`${what} needs a reason (a non-empty string), got ${String(reason)}`);
  };
  for (const [dtype, reason] of Object.entries(profile.unsupportedDTypes ?? {})) {
    empty(`unsupportedDTypes.${dtype}`, reason);
    if (backend.dtypes.includes(dtype as DType)) {
      throw new ProfileError(
        `unsupportedDTypes.${dtype}: backend '${backend.name}' lists ${dtype} in its dtypes (${backend.dtypes.join(', ')}); remove the declaration or the dtype`,
      );
    }
  }
  for (const [kernel, reason] of Object.entries(profile.unsupportedKernels ?? {})) {
    empty(`unsupportedKernels.${kernel}`, reason);
    if (!(KERNEL_NAMES as readonly string[]).includes(kernel)) {
      throw new ProfileError(
        `unsupportedKernels.${kernel}: not a kernel of the catalogue (${KERNEL_NAMES.join(', ')})`,
      );
    }
  }
  for (const [key, reason] of Object.entries(profile.exclusions ?? {}))
    empty(`exclusion '${key}'`, reason);
}

/**
 * The exclusion a case falls under before it runs: a dtype it needs that the backend lacks,
 * a kernel case of an unsupported kernel, or a matching exclusion key — in that order.
 */
export function staticExclusion(
  profile: ConformanceProfile,
  backend: Backend,
  id: string,
  needs: { dtypes: readonly DType[]; kernel?: KernelName },
): Exclusion | undefined {
  for (const dtype of needs.dtypes) {
    if (!backend.dtypes.includes(dtype)) {
      const declared = profile.unsupportedDTypes?.[dtype];
      return {
        key: `dtype:${dtype}`,
        reason: `needs ${dtype}, which backend '${backend.name}' does not support (dtypes: ${backend.dtypes.join(', ')})${declared ? `: ${declared}` : ''}`,
      };
    }
  }
  const kernelReason = needs.kernel && profile.unsupportedKernels?.[needs.kernel];
  if (needs.kernel && kernelReason)
    return {
      key: `kernel:${needs.kernel}`,
      reason: `kernel ${needs.kernel} is not supported: ${kernelReason}`,
    };
  const match = findExclusion(profile.exclusions ?? {}, id);
  return match && { key: match[0], reason: match[1] };
}

/**
 * The exclusion a case falls under after it ran, from the kernels it called (trace keys like
 * `Unary/tanh`, see {@link KernelTrace}): the first unsupported kernel among them.
 */
export function tracedExclusion(
  profile: ConformanceProfile,
  kernelsUsed: readonly string[],
): Exclusion | undefined {
  for (const used of kernelsUsed) {
    const kernel = used.split('/')[0] as KernelName;
    const reason = profile.unsupportedKernels?.[kernel];
    if (reason)
      return {
        key: `kernel:${kernel}`,
        reason: `calls kernel ${kernel}, which is not supported: ${reason}`,
      };
  }
  return undefined;
}

/** The exclusion keys of `profile` that match none of `ids`: stale or misspelt. */
export function staleExclusions(profile: ConformanceProfile, ids: readonly string[]): string[] {
  return Object.keys(profile.exclusions ?? {}).filter(
    (key) => !ids.some((id) => exclusionMatches(key, id)),
  );
}
