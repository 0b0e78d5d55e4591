// A text filter that reports its value once typing pauses (or at once on Enter), and
// follows the outside value when that changes (e.g. filters cleared, back button).

import { useEffect, useRef, useState, type InputHTMLAttributes } from "react";

import { cn } from "@/lib/cn";

import { controlClass } from "./field";

interface DebouncedInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange"> {
  value: string;
  onCommit: (value: string) => void;
  delay?: number;
}

export function DebouncedInput({ value, onCommit, delay = 350, className, ...props }: DebouncedInputProps) {
  const [text, setText] = useState(value);
  const [outside, setOutside] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  if (value !== outside) {
    setOutside(value);
    setText(value);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  const commit = (next: string) => {
    clearTimeout(timer.current);
    if (next.trim() !== value) onCommit(next.trim());
  };

  return (
    <input
      {...props}
      value={text}
      className={cn(controlClass, className)}
      onChange={(event) => {
        const next = event.target.value;
        setText(next);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => commit(next), delay);
      }}
      onKeyDown={(event) => {
        if (event.key === "Enter") commit(text);
      }}
    />
  );
}
