/** One entry of a BaseChoiceMenu. */
export interface ChoiceMenuItem<V> {
  value: V;
  title: string;
  /** The item's own language, when its title is written in one (language names). */
  lang?: string;
}
