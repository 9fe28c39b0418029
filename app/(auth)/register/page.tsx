import type { Metadata } from 'next'
import Link from 'next/link'
import { RegisterForm } from './register-form'

export const metadata: Metadata = { title: 'Create an account' }

export default function RegisterPage() {
  return (
    <div className="narrow">
      <h1>Create an account</h1>
      <div className="card">
        <RegisterForm />
      </div>
      <p>
        Already have an account? <Link href="/login">Sign in</Link>
      </p>
    </div>
  )
}
