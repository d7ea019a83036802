/** A piece of a plan: its steps, and what a person reading the run should know about them. */
export interface Part<S> {
  steps: S[]
  warnings: string[]
  notes: string[]
}

export const part = <S>(p: Partial<Part<S>> = {}): Part<S> => ({
  steps: p.steps ?? [],
  warnings: p.warnings ?? [],
  notes: p.notes ?? []
})

/** The pieces one after the other. */
export const joinParts = <S>(parts: Part<S>[]): Part<S> => ({
  steps: parts.flatMap(p => p.steps),
  warnings: parts.flatMap(p => p.warnings),
  notes: parts.flatMap(p => p.notes)
})
