'use client';

import { useEffect, useRef } from 'react';

/**
 * A hidden `fragment` field holding the page's `location.hash`: the part of a deep link such as
 * `/mlflow/#/experiments/2` that never reaches the server. The sign-in handler adds it to `next`.
 */
export function FragmentField() {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.value = window.location.hash;
  }, []);
  return <input ref={ref} type="hidden" name="fragment" defaultValue="" data-testid="login-fragment" />;
}
